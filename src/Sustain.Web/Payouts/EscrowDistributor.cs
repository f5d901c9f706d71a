using Microsoft.EntityFrameworkCore;
using Sustain.Core;
using Sustain.Core.Ledger;
using Sustain.Core.Maintainers;
using Sustain.Core.Payouts;
using Sustain.Data;
using Sustain.Data.Ledger;
using Sustain.Data.Maintainers;
using Sustain.Data.Payouts;

namespace Sustain.Web.Payouts;

/// <summary>What one distribution did.</summary>
public sealed record DistributionResult(int LinesReleased, int LinesWaiting, int HeldReleased);

/// <summary>
/// Moves money that landed in a project's escrow to its maintainers. Each escrow line (a payment's part, a
/// refund's, money returned from a lost contest) is handed over once, by the split in effect when it arrived;
/// a line that arrived while the project had no verified maintainer (before the first, or after the last left)
/// waits, and is handed over by the split in effect when a claim is next verified. A contested maintainer's part goes to a held account, which
/// follows the operator's decision: to their payable when upheld, back to the project's escrow (and so to the
/// others) when rejected or withdrawn. Idempotent: each line carries a release mark, written in the same
/// transaction as its posting.
/// </summary>
public sealed class EscrowDistributor(PayoutLedger ledger, TimeProvider time)
{
    public async Task<DistributionResult> RunAsync(CancellationToken cancellation)
    {
        var held = await ledger.WriteAsync("release held money", db => ReleaseHeldAsync(db, cancellation), cancellation);
        var (released, waiting) = await ledger.WriteAsync("release escrow", db => ReleaseEscrowAsync(db, cancellation), cancellation);
        return new DistributionResult(released, waiting, held);
    }

    private async Task<(int Released, int Waiting)> ReleaseEscrowAsync(SustainDbContext db, CancellationToken cancellation)
    {
        var now = time.GetUtcNow();
        var unreleased = db.LedgerLines
            .Where(l => l.ProjectKey != null && !db.EscrowLineReleases.Any(r => r.LineId == l.Id))
            .Join(db.LedgerPostings, l => l.PostingId, p => p.Id, (l, p) => new { l.Id, l.ProjectKey, l.Currency, l.AmountMinor, p.Kind, p.PostedAt, p.OrganisationId })
            .Where(x => x.Kind != LedgerKinds.EscrowRelease && x.Kind != LedgerKinds.AdvanceRepaid);

        // Only projects with a split (a verified claim) can release anything: the escrow of unclaimed
        // projects, which can be most of the ledger, is counted in the database and never loaded.
        var unclaimed = await unreleased.CountAsync(x => !db.MaintainerSplitVersions.Any(v => v.ProjectKey == x.ProjectKey), cancellation);
        var pending = await unreleased.Where(x => db.MaintainerSplitVersions.Any(v => v.ProjectKey == x.ProjectKey)).ToListAsync(cancellation);
        if (pending.Count == 0)
            return (0, unclaimed);

        var projects = pending.Select(p => p.ProjectKey!).Distinct(StringComparer.Ordinal).ToList();
        var versions = (await db.MaintainerSplitVersions.AsNoTracking().Include(v => v.Shares).Where(v => projects.Contains(v.ProjectKey)).ToListAsync(cancellation))
            .ToLookup(v => v.ProjectKey, StringComparer.Ordinal);
        var contested = (await db.MaintainerClaims.AsNoTracking().Where(c => projects.Contains(c.ProjectKey) && c.State == ClaimState.Contested)
                .Select(c => new { c.ProjectKey, c.UserId, c.Id }).ToListAsync(cancellation))
            .ToLookup(c => c.ProjectKey, StringComparer.Ordinal);
        var balances = await db.LedgerLines.Where(l => l.ProjectKey != null && projects.Contains(l.ProjectKey))
            .GroupBy(l => new { l.ProjectKey, l.Currency }).Select(g => new { g.Key.ProjectKey, g.Key.Currency, Sum = g.Sum(l => l.AmountMinor) })
            .ToDictionaryAsync(g => (g.ProjectKey!, g.Currency), g => g.Sum, cancellation);

        var advanced = (await db.LedgerLines.Where(l => l.Account.StartsWith(LedgerAccounts.PlatformAdvancePrefix)).Balances()
                .Where(g => g.Sum < 0).ToListAsync(cancellation))
            .ToDictionary(g => (LedgerAccounts.AdvancedProjectOf(g.Account)!, g.Currency), g => -g.Sum);

        int released = 0, waiting = unclaimed;
        foreach (var line in pending.OrderBy(p => p.PostedAt).ThenBy(p => p.Id))
        {
            var project = line.ProjectKey!;
            // Money that arrived while nobody was a maintainer (before the first claim, or after the last one left) goes by the split of now, if anyone is.
            var split = Receiving(InEffect(versions[project], line.PostedAt)) ?? Receiving(InEffect(versions[project], now));
            if (split is null)
            {
                waiting++;
                continue;
            }

            // What is left in escrow bounds the release: a refund that came first already took its part, and
            // what the platform advanced of a refund after an earlier release is repaid first.
            var available = balances.GetValueOrDefault((project, line.Currency));
            var currency = Currency.Find(line.Currency);
            if (advanced.GetValueOrDefault((project, line.Currency)) is var owed and > 0 && available > 0)
            {
                var repaid = Math.Min(owed, available);
                PayoutLedger.Post(db, PayoutTransactions.Repay(project, new Money(repaid, currency)), $"Escrow of {project} repays what the platform advanced of a refund", now, organisationId: line.OrganisationId);
                advanced[(project, line.Currency)] = owed - repaid;
                available -= repaid;
                balances[(project, line.Currency)] = available;
            }

            var amount = Math.Clamp(line.AmountMinor, 0, Math.Max(0, available));
            var shares = split.Shares.Select(s => new SplitShare(s.UserId, s.BasisPoints)).ToList();
            var contestedClaims = contested[project].ToDictionary(c => c.UserId, c => c.Id, StringComparer.Ordinal);
            if (PayoutTransactions.Release(project, new Money(amount, currency), shares, contestedClaims) is { } release)
            {
                PayoutLedger.Post(db, release, $"Escrow of {project} to its maintainers by split version {split.Number}", now, organisationId: line.OrganisationId);
                balances[(project, line.Currency)] = available - amount;
            }

            db.EscrowLineReleases.Add(new EscrowLineRelease { LineId = line.Id, ProjectKey = project, ReleasedMinor = amount, SplitVersionId = split.Id, At = now });
            released++;
        }

        return (released, waiting);
    }

    private async Task<int> ReleaseHeldAsync(SustainDbContext db, CancellationToken cancellation)
    {
        var now = time.GetUtcNow();
        var heldBalances = await db.LedgerLines.Where(l => l.Account.StartsWith("claim:")).Balances()
            .Where(g => g.Sum > 0).ToListAsync(cancellation);
        var count = 0;
        foreach (var held in heldBalances)
        {
            if (LedgerAccounts.HeldClaimOf(held.Account) is not { } claimId
                || await db.MaintainerClaims.AsNoTracking().SingleOrDefaultAsync(c => c.Id == claimId, cancellation) is not { } claim
                || claim.State is ClaimState.Contested or ClaimState.Pending)
                continue;
            var upheld = claim.State == ClaimState.Verified;
            var destination = upheld ? LedgerAccounts.MaintainerPayable(claim.UserId) : LedgerAccounts.ProjectEscrow(claim.ProjectKey);
            PayoutLedger.Post(db, PayoutTransactions.ReleaseHeld(claimId, new Money(held.Sum, Currency.Find(held.Currency)), destination),
                upheld ? $"{claim.GitHubLogin}'s contested part of {claim.ProjectKey}: claim upheld" : $"{claim.GitHubLogin}'s contested part of {claim.ProjectKey} back to its escrow: claim {claim.State.ToString().ToLowerInvariant()}",
                now);
            count++;
        }

        return count;
    }

    /// <summary>The split, when it gives anyone a share; null for the split with no shares that the last maintainer's leaving leaves.</summary>
    private static MaintainerSplitVersion? Receiving(MaintainerSplitVersion? split) => split is not null && split.Shares.Any(s => s.BasisPoints > 0) ? split : null;

    private static MaintainerSplitVersion? InEffect(IEnumerable<MaintainerSplitVersion> versions, DateTimeOffset instant) =>
        versions.Where(v => v.EffectiveFrom <= instant).OrderByDescending(v => v.EffectiveFrom).ThenByDescending(v => v.Number).FirstOrDefault();
}
