namespace Sustain.Data.Maintainers;

/// <summary>One step in the life of a project's claims and split: who did what, when, and why. Never changed.</summary>
public class MaintainerAuditEntry : IAppendOnly
{
    /// <summary>Assigned by the database in insertion order, so steps saved in the same instant keep their order.</summary>
    public long Id { get; set; }

    public required string ProjectKey { get; set; }

    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;

    public MaintainerAuditAction Action { get; set; }

    /// <summary>The user who acted; null when the app did on its own.</summary>
    public string? ActorUserId { get; set; }

    /// <summary>How the actor is shown: a GitHub login, or "operator someone@example.com".</summary>
    public required string ActorName { get; set; }

    /// <summary>The claim the step concerns, when it concerns one.</summary>
    public Guid? ClaimId { get; set; }

    public required string Details { get; set; }
}

public enum MaintainerAuditAction
{
    ClaimStarted,
    VerifiedByPermission,
    VerifiedByToken,
    CheckFailed,
    InvitationAccepted,
    Contested,
    ContestUpheld,
    ContestRejected,
    Withdrawn,
    SplitChanged,
    MaintainerInvited,
    AdminAppointed,
}
