using Sustain.Core.Maintainers;

namespace Sustain.Data.Maintainers;

/// <summary>A GitHub user's claim to be a maintainer of a project, and so to receive a part of its money.</summary>
public class MaintainerClaim
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary><c>github.com/owner/repo</c>: see <c>Sustain.Core.Projects.ProjectKey</c>.</summary>
    public required string ProjectKey { get; set; }

    public required string UserId { get; set; }

    /// <summary>The claimant's GitHub login when they claimed, as GitHub spells it.</summary>
    public required string GitHubLogin { get; set; }

    public ClaimState State { get; set; } = ClaimState.Pending;

    public MaintainerRole Role { get; set; } = MaintainerRole.Maintainer;

    /// <summary>What proved the claim; <see cref="ClaimProof.None"/> until something did.</summary>
    public ClaimProof Proof { get; set; }

    /// <summary>The random token the claimant commits to the repository when their permission does not prove the claim.</summary>
    public required string VerificationToken { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? VerifiedAt { get; set; }

    /// <summary>When the claimant last asked for a check; "Check now" is refused until the check interval has passed.</summary>
    public DateTimeOffset? LastCheckedAt { get; set; }

    /// <summary>Why the last check failed, for the claimant's next steps.</summary>
    public string? LastCheckFailure { get; set; }

    /// <summary>The verified claim of the maintainer who disputes this one, while it is contested.</summary>
    public Guid? ContestedByClaimId { get; set; }

    public string? ContestReason { get; set; }

    /// <summary>The operator's reason when they ruled on a contest, or the claimant's when they withdrew.</summary>
    public string? DecisionReason { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Bumped on every change, so two people acting on the same claim at once cannot both win.</summary>
    public int Revision { get; set; }
}

public enum MaintainerRole
{
    Maintainer,

    /// <summary>Sets the split and invites maintainers. The first verified claimant of a project is one.</summary>
    Admin,
}

public enum ClaimProof
{
    None,

    /// <summary>GitHub says the claimant has the admin or maintain role on the repository.</summary>
    Permission,

    /// <summary>The verification token is in the repository's <c>.sustain-claim</c> file.</summary>
    ClaimFile,

    /// <summary>The verification token is in the repository's <c>funding.json</c>, under <c>sustainClaim</c>.</summary>
    FundingJson,

    /// <summary>An admin of the project invited the claimant's GitHub login and they accepted.</summary>
    Invitation,
}

/// <summary>An admin's invitation to a GitHub login to join a project as a maintainer.</summary>
public class MaintainerInvitation
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string ProjectKey { get; set; }

    /// <summary>The invited GitHub login, as the admin typed it; matched without regard to case.</summary>
    public required string GitHubLogin { get; set; }

    /// <summary>The login in lower case, for lookups.</summary>
    public required string NormalizedLogin { get; set; }

    public required string InvitedByUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? AcceptedAt { get; set; }
}
