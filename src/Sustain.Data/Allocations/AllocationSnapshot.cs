namespace Sustain.Data.Allocations;

/// <summary>
/// An allocation as it was suggested at one moment: the budget, the policy that shaped it and a
/// share per project with its reasons. Pledges point at a snapshot, so what a company committed to
/// never changes when its SBOMs or policy do.
/// </summary>
public class AllocationSnapshot : IAppendOnly
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganisationId { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>The user who saved it, or null when a job or the API did.</summary>
    public string? CreatedByUserId { get; set; }

    /// <summary>A name the organisation gives it, such as "FY2027 budget".</summary>
    public string? Label { get; set; }

    /// <summary>ISO 4217 code.</summary>
    public required string Currency { get; set; }

    public long BudgetMinor { get; set; }

    /// <summary>What the shares add up to; the budget less what could not be allocated.</summary>
    public long AllocatedMinor { get; set; }

    public string? UnallocatedReason { get; set; }

    /// <summary>The <c>Sustain.Core.Allocation.AllocationPolicy</c> used, as JSON.</summary>
    public required string PolicyJson { get; set; }

    public List<AllocationSnapshotShare> Shares { get; set; } = [];
}

public class AllocationSnapshotShare : IAppendOnly
{
    public Guid SnapshotId { get; set; }

    /// <summary>The project's key, <c>github.com/owner/repo</c>.</summary>
    public required string ProjectKey { get; set; }

    public long AmountMinor { get; set; }

    /// <summary>The <c>Sustain.Core.Allocation.ShareStatus</c> name, such as <c>Allocated</c> or <c>Excluded</c>.</summary>
    public required string Status { get; set; }

    /// <summary>The reliance behind the share, before limits and rounding.</summary>
    public double Reliance { get; set; }

    /// <summary>The share's reasons (products, packages, a representative path) as JSON.</summary>
    public required string ReasonsJson { get; set; }
}
