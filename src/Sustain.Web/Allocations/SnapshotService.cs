using Microsoft.EntityFrameworkCore;
using Sustain.Core;
using Sustain.Core.Allocation;
using Sustain.Data;
using Sustain.Data.Allocations;
using Sustain.Web.Organisations;

namespace Sustain.Web.Allocations;

public sealed record SnapshotSummary(Guid Id, string? Label, DateTimeOffset CreatedAt, string? CreatedBy, Money Budget, Money Allocated, int Funded);

/// <summary>A saved snapshot as the pages and the API read it: immutable, with every share and its reasons.</summary>
public sealed record SnapshotView(SnapshotSummary Summary, string? UnallocatedReason, PolicySettings Settings, IReadOnlyList<ShareRow> Shares)
{
    public Money Budget => Summary.Budget;

    public Money Unallocated => Summary.Budget - Summary.Allocated;
}

/// <summary>
/// Saves allocations as immutable snapshots (the record a pledge points at) and reads them back.
/// Callers have asked <see cref="OrganisationAccess"/>; every query is scoped to that organisation.
/// </summary>
public sealed class SnapshotService(IDbContextFactory<SustainDbContext> contexts, TimeProvider clock)
{
    public const int MaxLabel = 200;

    /// <summary>Saves <paramref name="allocation"/> in one SaveChanges. Returns the new snapshot's id, or the error to show.</summary>
    public async Task<(Guid? Id, string? Error)> SaveAsync(OrgAccess actor, string? label, StoredPolicy policy, Allocation allocation, AllocationBasis basis, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(allocation);
        ArgumentNullException.ThrowIfNull(basis);
        if (!actor.IsAdmin)
            return (null, "Only an owner or admin can save a snapshot.");
        label = string.IsNullOrWhiteSpace(label) ? null : label.Trim();
        if (label?.Length > MaxLabel)
            return (null, $"The label is {label.Length} characters; the most is {MaxLabel}.");
        if (allocation.Budget.Minor <= 0)
            return (null, "The budget is zero: there is nothing to save.");

        var snapshot = Build(actor.Organisation.Id, actor.UserId, label, policy, allocation, basis);
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        db.AllocationSnapshots.Add(snapshot);
        await db.SaveChangesAsync(cancellation);
        return (snapshot.Id, null);
    }

    internal AllocationSnapshot Build(Guid organisationId, string? userId, string? label, StoredPolicy policy, Allocation allocation, AllocationBasis basis)
    {
        var snapshot = new AllocationSnapshot
        {
            OrganisationId = organisationId,
            CreatedAt = clock.GetUtcNow(),
            CreatedByUserId = userId,
            Label = label,
            Currency = allocation.Budget.Currency.Code,
            BudgetMinor = allocation.Budget.Minor,
            AllocatedMinor = allocation.Allocated.Minor,
            UnallocatedReason = allocation.UnallocatedReason is { } reason && reason.Length > 1000 ? reason[..1000] : allocation.UnallocatedReason,
            PolicyJson = policy.Settings.ToJson(),
        };
        foreach (var share in AllocationBasis.Visible(allocation))
        {
            snapshot.Shares.Add(new AllocationSnapshotShare
            {
                SnapshotId = snapshot.Id,
                ProjectKey = share.ProjectKey,
                AmountMinor = share.Amount.Minor,
                Status = share.Status.ToString(),
                Reliance = share.Reliance,
                ReasonsJson = ShareReasons.Of(share, basis).ToJson(),
            });
        }

        return snapshot;
    }

    public async Task<IReadOnlyList<SnapshotSummary>> ListAsync(Guid organisationId, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var rows = await db.AllocationSnapshots.AsNoTracking().Where(s => s.OrganisationId == organisationId)
            .OrderByDescending(s => s.CreatedAt)
            .Select(s => new { s.Id, s.Label, s.CreatedAt, s.CreatedByUserId, s.Currency, s.BudgetMinor, s.AllocatedMinor, Funded = s.Shares.Count(x => x.AmountMinor > 0) })
            .ToListAsync(cancellation);
        var names = await NamesAsync(db, rows.Select(r => r.CreatedByUserId), cancellation);
        return [.. rows.Select(r =>
        {
            var currency = Currency.TryFind(r.Currency, out var c) ? c : Currency.USD;
            return new SnapshotSummary(r.Id, r.Label, r.CreatedAt, r.CreatedByUserId is { } id ? names.GetValueOrDefault(id) : null, new Money(r.BudgetMinor, currency), new Money(r.AllocatedMinor, currency), r.Funded);
        })];
    }

    /// <summary>One snapshot with its shares, largest first; null when the organisation has no snapshot of that id.</summary>
    public async Task<SnapshotView?> GetAsync(Guid organisationId, Guid id, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var snapshot = await db.AllocationSnapshots.AsNoTracking().Include(s => s.Shares)
            .SingleOrDefaultAsync(s => s.Id == id && s.OrganisationId == organisationId, cancellation);
        if (snapshot is null)
            return null;
        var currency = Currency.TryFind(snapshot.Currency, out var c) ? c : Currency.USD;
        var names = await NamesAsync(db, [snapshot.CreatedByUserId], cancellation);
        var summary = new SnapshotSummary(
            snapshot.Id, snapshot.Label, snapshot.CreatedAt, snapshot.CreatedByUserId is { } userId ? names.GetValueOrDefault(userId) : null,
            new Money(snapshot.BudgetMinor, currency), new Money(snapshot.AllocatedMinor, currency), snapshot.Shares.Count(s => s.AmountMinor > 0));
        var shares = snapshot.Shares
            .OrderByDescending(s => s.AmountMinor).ThenBy(s => s.ProjectKey, StringComparer.Ordinal)
            .Select(s => new ShareRow(s.ProjectKey, new Money(s.AmountMinor, currency), Enum.TryParse<ShareStatus>(s.Status, out var status) ? status : ShareStatus.Funded, ShareReasons.FromJson(s.ReasonsJson), s.Reliance))
            .ToList();
        return new SnapshotView(summary, snapshot.UnallocatedReason, PolicySettings.FromJson(snapshot.PolicyJson), shares);
    }

    private static async Task<Dictionary<string, string>> NamesAsync(SustainDbContext db, IEnumerable<string?> userIds, CancellationToken cancellation)
    {
        var ids = userIds.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return ids.Count == 0
            ? []
            : await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName ?? u.Email ?? u.Id, cancellation);
    }
}
