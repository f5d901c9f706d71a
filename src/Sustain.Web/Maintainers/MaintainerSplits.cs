using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Sustain.Core.Maintainers;
using Sustain.Data;
using Sustain.Data.Maintainers;

namespace Sustain.Web.Maintainers;

/// <summary>
/// A project's split between its maintainers, as versions that each take effect for money arriving from their
/// <c>EffectiveFrom</c> on. <see cref="SplitForAsync"/> is what a payout step asks; admins change it through
/// <see cref="SetAsync"/>; joining and leaving maintainers change it through the claim lifecycle.
/// </summary>
public sealed class MaintainerSplits(IDbContextFactory<SustainDbContext> databases, TimeProvider time)
{
    /// <summary>The split in effect for money arriving at <paramref name="instant"/> for <paramref name="projectKey"/>; null when none was yet (nobody to pay).</summary>
    public async Task<MaintainerSplitVersion?> SplitForAsync(string projectKey, DateTimeOffset instant, CancellationToken cancellation = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellation);
        return await InEffect(db, projectKey, instant).AsNoTracking().FirstOrDefaultAsync(cancellation);
    }

    /// <summary>
    /// Records a new split for <paramref name="projectKey"/>, in effect from now, when <paramref name="actor"/> is an
    /// admin of it (verified, not contested) and the shares are valid: one per verified maintainer at most, from 0 to
    /// 10,000 basis points, adding up to exactly 10,000.
    /// </summary>
    public async Task<(bool Saved, IReadOnlyList<string> Errors)> SetAsync(MaintainerActor actor, string projectKey, IReadOnlyList<SplitShare> shares, CancellationToken cancellation = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellation);
        var maintainers = await Maintainers(db, projectKey).AsNoTracking().ToListAsync(cancellation);
        if (!maintainers.Any(c => c.UserId == actor.UserId && c.State == ClaimState.Verified && c.Role == MaintainerRole.Admin))
            return (false, ["Only an admin of this project, with a verified claim that is not contested, can change its split."]);

        var logins = maintainers.ToDictionary(c => c.UserId, c => c.GitHubLogin, StringComparer.Ordinal);
        var errors = MaintainerSplit.Validate(shares, logins.Keys.ToHashSet(StringComparer.Ordinal), id => logins.GetValueOrDefault(id) ?? $"'{id}'");
        if (errors.Count > 0)
            return (false, errors);

        var now = time.GetUtcNow();
        var current = await InEffect(db, projectKey, now).AsNoTracking().FirstOrDefaultAsync(cancellation);
        if (current is not null && SameShares(current.Shares.Select(s => new SplitShare(s.UserId, s.BasisPoints)), shares))
            return (false, ["The split is unchanged; nothing was saved."]);

        await AddVersionAsync(db, projectKey, shares, logins, actor.UserId, actor.Name, $"Set by {actor.Name}", now, cancellation);
        try
        {
            await db.SaveChangesAsync(cancellation);
            return (true, []);
        }
        catch (DbUpdateException)
        {
            return (false, ["Someone else changed this project's split at the same moment; reload the page and try again."]);
        }
    }

    internal static IQueryable<MaintainerSplitVersion> InEffect(SustainDbContext db, string projectKey, DateTimeOffset instant) =>
        db.MaintainerSplitVersions.Include(v => v.Shares)
            .Where(v => v.ProjectKey == projectKey && v.EffectiveFrom <= instant)
            .OrderByDescending(v => v.EffectiveFrom).ThenByDescending(v => v.Number);

    /// <summary>Claims whose holders are the project's maintainers now: verified, or verified and contested.</summary>
    internal static IQueryable<MaintainerClaim> Maintainers(SustainDbContext db, string projectKey) =>
        db.MaintainerClaims.Where(IsMaintainerClaim).Where(c => c.ProjectKey == projectKey);

    /// <summary><see cref="ClaimLifecycle.IsMaintainer"/> as a query asks it, also inside other queries (which project has a maintainer).</summary>
    internal static readonly Expression<Func<MaintainerClaim, bool>> IsMaintainerClaim = c => c.State == ClaimState.Verified || c.State == ClaimState.Contested;

    /// <summary>
    /// <paramref name="claim"/> has just been proved: the first maintainer of a project becomes its admin and
    /// receives all of its money; a later one joins with no share until an admin changes the split.
    /// </summary>
    internal static async Task JoinAsync(SustainDbContext db, MaintainerClaim claim, DateTimeOffset now, CancellationToken cancellation)
    {
        var others = await Maintainers(db, claim.ProjectKey).AnyAsync(c => c.Id != claim.Id, cancellation);
        if (others)
            return;
        claim.Role = MaintainerRole.Admin;
        var shares = new[] { new SplitShare(claim.UserId, MaintainerSplit.Whole) };
        MaintainerAudit.Record(db, claim.ProjectKey, MaintainerAuditAction.AdminAppointed, null, "Sustain", claim.Id, $"{claim.GitHubLogin} is the project's admin, as its first verified maintainer.", now);
        await AddVersionAsync(db, claim.ProjectKey, shares, new Dictionary<string, string> { [claim.UserId] = claim.GitHubLogin }, null, "Sustain",
            $"{claim.GitHubLogin} is the first verified maintainer and receives all of the project's money", now, cancellation);
    }

    /// <summary>
    /// <paramref name="claim"/> no longer counts (rejected or withdrawn): its share goes to the others in proportion
    /// to theirs, and when no admin is left the longest-standing maintainer becomes one. When nobody is left, a split
    /// with no shares takes effect: money arriving from then on waits in escrow, as an unclaimed project's does, for
    /// the next maintainer or, after the hold period, for the pledge's other projects (see <c>EscrowExpiry</c>).
    /// </summary>
    internal static async Task LeaveAsync(SustainDbContext db, MaintainerClaim claim, DateTimeOffset now, CancellationToken cancellation)
    {
        var remaining = await Maintainers(db, claim.ProjectKey).Where(c => c.Id != claim.Id).OrderBy(c => c.VerifiedAt).ThenBy(c => c.Id).ToListAsync(cancellation);
        var current = await InEffect(db, claim.ProjectKey, now).AsNoTracking().FirstOrDefaultAsync(cancellation);
        var leaving = current?.Shares.SingleOrDefault(s => s.UserId == claim.UserId);
        if (current is not null && leaving is { BasisPoints: > 0 } && remaining.Count > 0)
        {
            var staying = current.Shares.Where(s => remaining.Any(c => c.UserId == s.UserId)).Select(s => new SplitShare(s.UserId, s.BasisPoints)).ToList();
            // Maintainers who joined since the split was set share only when nobody in it is left.
            if (staying.Count == 0)
                staying = [.. remaining.Select(c => new SplitShare(c.UserId, 0))];
            var next = MaintainerSplit.Without([.. staying, new SplitShare(claim.UserId, leaving.BasisPoints)], claim.UserId);
            var logins = remaining.ToDictionary(c => c.UserId, c => c.GitHubLogin, StringComparer.Ordinal);
            await AddVersionAsync(db, claim.ProjectKey, next, logins, null, "Sustain", $"{claim.GitHubLogin} left; their share went to the others in proportion to theirs", now, cancellation);
        }
        else if (current is not null && remaining.Count == 0 && current.Shares.Any(s => s.BasisPoints > 0))
        {
            await AddVersionAsync(db, claim.ProjectKey, [], [], null, "Sustain",
                $"{claim.GitHubLogin}, the last maintainer, left; money arriving from now on waits in escrow for a maintainer, as an unclaimed project's does", now, cancellation);
        }

        if (claim.Role == MaintainerRole.Admin && remaining.Count > 0 && remaining.All(c => c.Role != MaintainerRole.Admin))
        {
            var successor = remaining[0];
            successor.Role = MaintainerRole.Admin;
            successor.Revision++;
            MaintainerAudit.Record(db, claim.ProjectKey, MaintainerAuditAction.AdminAppointed, null, "Sustain", successor.Id,
                $"{successor.GitHubLogin} is now an admin: {claim.GitHubLogin}, the last admin, left, and {successor.GitHubLogin} is the longest-standing maintainer.", now);
        }
    }

    private static async Task AddVersionAsync(SustainDbContext db, string projectKey, IReadOnlyList<SplitShare> shares, Dictionary<string, string> logins, string? actorUserId, string actorName, string reason, DateTimeOffset now, CancellationToken cancellation)
    {
        var last = await db.MaintainerSplitVersions.Where(v => v.ProjectKey == projectKey).MaxAsync(v => (int?)v.Number, cancellation) ?? 0;
        // A second change within the same save (a leave after a join) takes the next number, not the same one.
        last = Math.Max(last, db.ChangeTracker.Entries<MaintainerSplitVersion>().Where(e => e.Entity.ProjectKey == projectKey).Select(e => e.Entity.Number).DefaultIfEmpty().Max());
        var version = new MaintainerSplitVersion
        {
            ProjectKey = projectKey,
            Number = last + 1,
            EffectiveFrom = now,
            CreatedByUserId = actorUserId,
            Reason = reason,
            Shares = [.. shares.Select(s => new MaintainerSplitShare { UserId = s.MaintainerId, GitHubLogin = logins[s.MaintainerId], BasisPoints = s.BasisPoints })],
        };
        db.MaintainerSplitVersions.Add(version);
        MaintainerAudit.Record(db, projectKey, MaintainerAuditAction.SplitChanged, actorUserId, actorName, null,
            $"Split version {version.Number}, for money arriving from {now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC: "
            + (shares.Count == 0 ? "nobody" : string.Join(", ", shares.Select(s => $"{logins[s.MaintainerId]} {MaintainerSplit.Percent(s.BasisPoints)}"))) + $". {reason}.", now);
    }

    private static bool SameShares(IEnumerable<SplitShare> left, IEnumerable<SplitShare> right) =>
        left.Where(s => s.BasisPoints != 0).OrderBy(s => s.MaintainerId, StringComparer.Ordinal)
            .SequenceEqual(right.Where(s => s.BasisPoints != 0).OrderBy(s => s.MaintainerId, StringComparer.Ordinal));
}
