namespace Sustain.Core.Allocation;

/// <summary>
/// A budget split into a share per project, with reasons. The shares and <see cref="Unallocated"/>
/// always sum exactly to <see cref="Budget"/> in minor units: money that no project may receive
/// (every project excluded, every project at the maximum, none reaching the minimum) is shown as
/// unallocated with the reason, never silently lost.
/// </summary>
public sealed record Allocation(Money Budget, IReadOnlyList<AllocationShare> Shares, Money Unallocated, string? UnallocatedReason)
{
    /// <summary>What the shares add up to: the budget less what is unallocated.</summary>
    public Money Allocated => Budget - Unallocated;

    /// <summary>The share of one project; null when no product reaches it and nothing pins it.</summary>
    public AllocationShare? ShareOf(string projectKey) => Shares.FirstOrDefault(s => string.Equals(s.ProjectKey, projectKey, StringComparison.Ordinal));
}

public enum ShareStatus
{
    /// <summary>A share in proportion to the project's weight.</summary>
    Funded,

    /// <summary>Held at the maximum share; the excess went to the others.</summary>
    Capped,

    /// <summary>Fixed by the organisation's pin.</summary>
    Pinned,

    /// <summary>Below the minimum share, so dropped; its money went to the others.</summary>
    BelowMinimum,

    /// <summary>Not funded because the policy or the exclude list rules it out.</summary>
    Excluded,
}

/// <summary>
/// One project's share and why. <see cref="Reliance"/> is the project's part of the organisation's
/// total reliance (products weighted, before criticality and need); <see cref="Contributions"/>
/// list, heaviest first, each product and package that carried reliance to it; <see cref="Path"/>
/// is a shortest path of package keys from the root of <see cref="PathProduct"/> to the heaviest of
/// them.
/// </summary>
public sealed record AllocationShare(
    string ProjectKey,
    Money Amount,
    ShareStatus Status,
    double Reliance,
    IReadOnlyList<string> Notes,
    IReadOnlyList<RelianceContribution> Contributions,
    string? PathProduct,
    IReadOnlyList<string> Path);

/// <summary>How much of one product's reliance (a fraction of 1) reaches one package.</summary>
public sealed record RelianceContribution(string Product, string Package, double Reliance);
