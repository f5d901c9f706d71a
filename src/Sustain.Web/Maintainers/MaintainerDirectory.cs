using Microsoft.EntityFrameworkCore;
using Sustain.Core.Maintainers;
using Sustain.Data;
using Sustain.Data.Maintainers;

namespace Sustain.Web.Maintainers;

public sealed record MaintainerHomeView(IReadOnlyList<MaintainerClaim> Claims, IReadOnlyList<MaintainerInvitation> Invitations);

/// <summary>
/// A project's maintainer page. Anyone signed in sees who maintains it; the split, invitations and audit log are for
/// the project's claimants and operators (<see cref="CanSeeDetails"/>).
/// </summary>
public sealed record ProjectMaintainersView(
    string ProjectKey,
    string RepositoryUrl,
    IReadOnlyList<MaintainerClaim> Claims,
    MaintainerClaim? ViewerClaim,
    bool ViewerIsAdmin,
    bool ViewerCanContest,
    bool CanSeeDetails,
    MaintainerSplitVersion? CurrentSplit,
    IReadOnlyList<MaintainerSplitVersion> SplitHistory,
    IReadOnlyList<MaintainerInvitation> Invitations,
    IReadOnlyList<MaintainerAuditEntry> AuditLog)
{
    public IEnumerable<MaintainerClaim> Maintainers => Claims.Where(c => ClaimLifecycle.IsMaintainer(c.State));

    public int BasisPointsOf(string userId) => CurrentSplit?.Shares.FirstOrDefault(s => s.UserId == userId)?.BasisPoints ?? 0;
}

public sealed record ContestedClaim(MaintainerClaim Claim, string? ContestedBy);

/// <summary>What the maintainer pages and the operator queue read.</summary>
public sealed class MaintainerDirectory(IDbContextFactory<SustainDbContext> databases, TimeProvider time)
{
    public const int AuditPageSize = 100;

    public async Task<MaintainerHomeView> HomeAsync(MaintainerActor actor, CancellationToken cancellation = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellation);
        var claims = await db.MaintainerClaims.AsNoTracking().Where(c => c.UserId == actor.UserId).OrderByDescending(c => c.CreatedAt).ToListAsync(cancellation);
        var login = actor.GitHubLogin?.ToLowerInvariant();
        var invitations = login is null ? [] : await db.MaintainerInvitations.AsNoTracking()
            .Where(i => i.NormalizedLogin == login && i.AcceptedAt == null).OrderBy(i => i.CreatedAt).ToListAsync(cancellation);
        var joined = claims.Where(c => ClaimLifecycle.IsMaintainer(c.State)).Select(c => c.ProjectKey).ToHashSet(StringComparer.Ordinal);
        return new MaintainerHomeView(claims, [.. invitations.Where(i => !joined.Contains(i.ProjectKey))]);
    }

    /// <summary>The project's page; null when Sustain knows no such project.</summary>
    public async Task<ProjectMaintainersView?> ProjectAsync(string projectKey, MaintainerActor actor, CancellationToken cancellation = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellation);
        var project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Key == projectKey, cancellation);
        if (project is null)
            return null;
        var claims = await db.MaintainerClaims.AsNoTracking().Where(c => c.ProjectKey == projectKey).OrderBy(c => c.VerifiedAt == null).ThenBy(c => c.VerifiedAt).ThenBy(c => c.CreatedAt).ToListAsync(cancellation);
        var viewer = claims.Where(c => c.UserId == actor.UserId).OrderBy(c => ClaimLifecycle.IsOpen(c.State) ? 0 : 1).ThenByDescending(c => c.CreatedAt).FirstOrDefault();
        var details = actor.IsOperator || viewer is not null;
        var isAdmin = viewer is { State: ClaimState.Verified, Role: MaintainerRole.Admin };
        var canContest = viewer is { State: ClaimState.Verified, Proof: ClaimProof.Permission or ClaimProof.ClaimFile or ClaimProof.FundingJson };
        if (!details)
            return new ProjectMaintainersView(project.Key, project.RepositoryUrl, claims, null, false, false, false, null, [], [], []);

        var history = await db.MaintainerSplitVersions.AsNoTracking().Include(v => v.Shares).Where(v => v.ProjectKey == projectKey)
            .OrderByDescending(v => v.EffectiveFrom).ThenByDescending(v => v.Number).ToListAsync(cancellation);
        var now = time.GetUtcNow();
        var current = history.FirstOrDefault(v => v.EffectiveFrom <= now);
        var invitations = await db.MaintainerInvitations.AsNoTracking().Where(i => i.ProjectKey == projectKey && i.AcceptedAt == null).OrderBy(i => i.CreatedAt).ToListAsync(cancellation);
        var audit = await db.MaintainerAuditLog.AsNoTracking().Where(e => e.ProjectKey == projectKey).OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(AuditPageSize).ToListAsync(cancellation);
        return new ProjectMaintainersView(project.Key, project.RepositoryUrl, claims, viewer, isAdmin, canContest, true, current, history, invitations, audit);
    }

    public async Task<IReadOnlyList<ContestedClaim>> ContestedAsync(CancellationToken cancellation = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellation);
        var contested = await db.MaintainerClaims.AsNoTracking().Where(c => c.State == ClaimState.Contested).OrderBy(c => c.ProjectKey).ToListAsync(cancellation);
        var contesterIds = contested.Where(c => c.ContestedByClaimId != null).Select(c => c.ContestedByClaimId!.Value).ToList();
        var contesters = await db.MaintainerClaims.AsNoTracking().Where(c => contesterIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.GitHubLogin, cancellation);
        return [.. contested.Select(c => new ContestedClaim(c, c.ContestedByClaimId is { } by ? contesters.GetValueOrDefault(by) : null))];
    }

    public async Task<IReadOnlyList<MaintainerAuditEntry>> RecentAuditAsync(CancellationToken cancellation = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellation);
        return await db.MaintainerAuditLog.AsNoTracking().OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(AuditPageSize).ToListAsync(cancellation);
    }
}
