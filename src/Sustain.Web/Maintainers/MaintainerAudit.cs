using Sustain.Data;
using Sustain.Data.Maintainers;

namespace Sustain.Web.Maintainers;

/// <summary>Adds a step to the append-only audit log, in the same save as the change it records.</summary>
internal static class MaintainerAudit
{
    public const int DetailsLength = 2000;

    public static void Record(SustainDbContext db, string projectKey, MaintainerAuditAction action, string? actorUserId, string actorName, Guid? claimId, string details, DateTimeOffset at) =>
        db.MaintainerAuditLog.Add(new MaintainerAuditEntry
        {
            ProjectKey = projectKey,
            Action = action,
            ActorUserId = actorUserId,
            ActorName = actorName,
            ClaimId = claimId,
            Details = details.Length <= DetailsLength ? details : details[..(DetailsLength - 1)] + "…",
            At = at,
        });

    public static void Record(SustainDbContext db, MaintainerActor actor, MaintainerClaim claim, MaintainerAuditAction action, string details, DateTimeOffset at) =>
        Record(db, claim.ProjectKey, action, actor.UserId, actor.Name, claim.Id, details, at);

    public static string Describe(MaintainerAuditAction action) => action switch
    {
        MaintainerAuditAction.ClaimStarted => "Claim started",
        MaintainerAuditAction.VerifiedByPermission => "Verified by GitHub permission",
        MaintainerAuditAction.VerifiedByToken => "Verified by committed token",
        MaintainerAuditAction.CheckFailed => "Check failed",
        MaintainerAuditAction.InvitationAccepted => "Invitation accepted",
        MaintainerAuditAction.Contested => "Contested",
        MaintainerAuditAction.ContestUpheld => "Operator upheld the claim",
        MaintainerAuditAction.ContestRejected => "Operator rejected the claim",
        MaintainerAuditAction.Withdrawn => "Withdrawn",
        MaintainerAuditAction.SplitChanged => "Split changed",
        MaintainerAuditAction.MaintainerInvited => "Maintainer invited",
        MaintainerAuditAction.AdminAppointed => "Admin appointed",
        _ => action.ToString(),
    };
}
