namespace Sustain.Core.Maintainers;

/// <summary>Where a claim on a project stands.</summary>
public enum ClaimState
{
    /// <summary>Started; waits for proof (the verification token committed to the repository).</summary>
    Pending,

    /// <summary>Proved: the claimant is a maintainer of the project and may receive its money.</summary>
    Verified,

    /// <summary>Another proved maintainer disputes it; an operator decides.</summary>
    Contested,

    /// <summary>An operator ruled against it. Final.</summary>
    Rejected,

    /// <summary>The claimant gave it up. Final.</summary>
    Revoked,
}

/// <summary>What can happen to a claim.</summary>
public enum ClaimEvent
{
    /// <summary>The claimant's GitHub permission or committed token proved it, or they accepted an admin's invitation.</summary>
    Proved,

    /// <summary>Another verified maintainer disputed it.</summary>
    Contested,

    /// <summary>An operator ruled for the claimant.</summary>
    Upheld,

    /// <summary>An operator ruled against the claimant.</summary>
    Rejected,

    /// <summary>The claimant withdrew it.</summary>
    Withdrawn,
}

/// <summary>
/// Every move a claim can make, in one table: Pending → Verified (proof) or Revoked (withdrawn);
/// Verified → Contested (disputed) or Revoked; Contested → Verified (upheld), Rejected or Revoked.
/// Rejected and Revoked are final.
/// </summary>
public static class ClaimLifecycle
{
    private static readonly Dictionary<(ClaimState, ClaimEvent), ClaimState> Moves = new()
    {
        [(ClaimState.Pending, ClaimEvent.Proved)] = ClaimState.Verified,
        [(ClaimState.Pending, ClaimEvent.Withdrawn)] = ClaimState.Revoked,
        [(ClaimState.Verified, ClaimEvent.Contested)] = ClaimState.Contested,
        [(ClaimState.Verified, ClaimEvent.Withdrawn)] = ClaimState.Revoked,
        [(ClaimState.Contested, ClaimEvent.Upheld)] = ClaimState.Verified,
        [(ClaimState.Contested, ClaimEvent.Rejected)] = ClaimState.Rejected,
        [(ClaimState.Contested, ClaimEvent.Withdrawn)] = ClaimState.Revoked,
    };

    /// <summary>The state <paramref name="event"/> leads to from <paramref name="state"/>; null when it cannot happen there.</summary>
    public static ClaimState? Next(ClaimState state, ClaimEvent @event) => Moves.TryGetValue((state, @event), out var next) ? next : null;

    /// <summary>Whether the claim is still in play (not rejected or revoked).</summary>
    public static bool IsOpen(ClaimState state) => state is ClaimState.Pending or ClaimState.Verified or ClaimState.Contested;

    /// <summary>Whether the claimant counts as a maintainer of the project: verified, or verified and now disputed.</summary>
    public static bool IsMaintainer(ClaimState state) => state is ClaimState.Verified or ClaimState.Contested;
}
