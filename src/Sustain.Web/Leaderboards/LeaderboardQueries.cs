using System.Linq.Expressions;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sustain.Core;
using Sustain.Core.Maintainers;
using Sustain.Data;
using Sustain.Data.Projects;

namespace Sustain.Web.Leaderboards;

/// <summary>
/// The public figures: what each organisation gave each project over the window (from the ledger's
/// project escrow lines, so net of fees and refunds) against what each organisation relies on (its
/// package→project mappings). One computed <see cref="Leaderboard"/> is reused by every public page,
/// badge and export for <see cref="LeaderboardOptions.CacheSeconds"/>; once stale it is answered
/// while one refresh runs, so no reader waits on the aggregation after the first. A refresh reads only
/// the ledger lines that changed (see <see cref="GivingTotals"/>); every
/// <see cref="LeaderboardOptions.FullRefreshMinutes"/> it sums the whole window again.
/// </summary>
public sealed partial class LeaderboardQueries(
    IDbContextFactory<SustainDbContext> contexts,
    IOptions<LeaderboardOptions> options,
    TimeProvider clock,
    ILogger<LeaderboardQueries> log) : IAsyncDisposable
{
    /// <summary>Read from GitHub as a public repository, or one of the demo's own sample projects.</summary>
    private static readonly Expression<Func<ProjectSignals, bool>> KnownPublic = s => s.Status == SignalsStatus.Fetched || s.Status == SignalsStatus.Demo;

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task _background = Task.CompletedTask;
    private Leaderboard? _current;

    /// <summary>Only read and written while holding <see cref="_refresh"/>.</summary>
    private GivingTotals? _giving;

    private LeaderboardOptions Options => options.Value;

    private Currency Currency => Currency.Find(Options.Currency);

    public async Task<Leaderboard> CurrentAsync(CancellationToken cancellation = default)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && IsFresh(current))
            return current;
        // Without caching, each reader waits for its own refresh: what the tests need, and cheap now that a refresh reads only what changed.
        if (current is not null && Options.CacheSeconds > 0)
        {
            // On a thread of its own: SQLite's async calls complete synchronously, and this reader should not wait for them.
            if (_refresh.Wait(0, CancellationToken.None))
                _background = Task.Run(RefreshInBackgroundAsync, CancellationToken.None);
            return current;
        }

        await _refresh.WaitAsync(cancellation);
        try
        {
            if (Volatile.Read(ref _current) is { } computed && IsFresh(computed))
                return computed;
            var fresh = await ComputeAsync(Pacing.Waited, cancellation);
            Volatile.Write(ref _current, fresh);
            return fresh;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>An opted-in organisation's profile; null for any other slug, so a private organisation is indistinguishable from none.</summary>
    public async Task<CompanyProfile?> CompanyAsync(string slug, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var organisation = await db.Organisations.AsNoTracking()
            .Where(o => o.Slug == slug && o.LeaderboardOptIn)
            .Select(o => new { o.Id, o.Slug, o.Name, o.Description, o.Website })
            .SingleOrDefaultAsync(cancellation);
        if (organisation is null)
            return null;

        var board = await CurrentAsync(cancellation);
        var lines = await EscrowLines(db, board).Where(l => l.Organisation == organisation.Id).ToListAsync(cancellation);
        var top = lines.GroupBy(l => l.Project)
            .Select(g => (Project: g.Key, Amount: new Money(g.Sum(l => l.Amount), board.Currency)))
            .Where(p => p.Amount.Minor > 0)
            .OrderByDescending(p => p.Amount.Minor).ThenBy(p => p.Project, StringComparer.Ordinal)
            .Take(Options.PageRows)
            .ToList();
        return new CompanyProfile(organisation.Slug, organisation.Name, organisation.Description, organisation.Website,
            board.Company(organisation.Slug), Monthly(board, lines.Select(l => (l.PostedAt, l.Amount))), top, board);
    }

    /// <summary>A known project's public profile; funders that did not opt in are only counted.</summary>
    public async Task<ProjectProfile?> ProjectAsync(string key, CancellationToken cancellation = default)
    {
        key = Uri.UnescapeDataString(key).Trim().Trim('/').ToLowerInvariant();
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var project = await db.Projects.AsNoTracking().Where(p => p.Key == key).Select(p => new { p.Key, p.RepositoryUrl }).SingleOrDefaultAsync(cancellation);
        if (project is null)
            return null;
        var shown = await db.ProjectSignals.AsNoTracking().Where(KnownPublic).AnyAsync(s => s.ProjectKey == key, cancellation)
            || await db.MaintainerClaims.AsNoTracking().AnyAsync(c => c.ProjectKey == key && c.State == ClaimState.Verified, cancellation);
        if (!shown)
            return null;

        var board = await CurrentAsync(cancellation);
        var lines = await EscrowLines(db, board).Where(l => l.Project == key).ToListAsync(cancellation);
        var byOrganisation = lines.GroupBy(l => l.Organisation).Select(g => (Organisation: g.Key, Amount: g.Sum(l => l.Amount))).Where(g => g.Amount > 0).ToList();
        // A subquery rather than a list of ids: a widely funded project has thousands of funders, and a list is sent as one parameter each.
        var funders = EscrowLines(db, board).Where(l => l.Project == key).Select(l => l.Organisation);
        var named = await db.Organisations.AsNoTracking().Where(o => o.LeaderboardOptIn && funders.Contains(o.Id))
            .Select(o => new { o.Id, o.Slug, o.Name }).ToDictionaryAsync(o => o.Id, cancellation);
        var namedFunders = byOrganisation.Where(g => named.ContainsKey(g.Organisation))
            .OrderByDescending(g => g.Amount).ThenBy(g => named[g.Organisation].Slug, StringComparer.Ordinal)
            .Select(g => (named[g.Organisation].Slug, named[g.Organisation].Name, new Money(g.Amount, board.Currency)))
            .ToList();
        var others = byOrganisation.Where(g => !named.ContainsKey(g.Organisation)).ToList();

        var maintainers = await db.MaintainerClaims.AsNoTracking().Where(c => c.ProjectKey == key && c.State == ClaimState.Verified)
            .OrderBy(c => c.GitHubLogin).Select(c => c.GitHubLogin).ToListAsync(cancellation);
        var dependents = await db.ProjectSignals.AsNoTracking().Where(s => s.ProjectKey == key).Select(s => s.Dependents).SingleOrDefaultAsync(cancellation);
        var relying = await db.PackageProjects.AsNoTracking().Where(m => m.ProjectKey == key).Select(m => m.OrganisationId).Distinct().CountAsync(cancellation);

        return new ProjectProfile(project.Key, project.RepositoryUrl, board.Project(key), Monthly(board, lines.Select(l => (l.PostedAt, l.Amount))),
            namedFunders, new AnonymousGiving(others.Count, new Money(others.Sum(g => g.Amount), board.Currency)),
            maintainers, dependents, relying, board);
    }

    /// <summary>Stops a refresh that is running and waits for it, so none outlives the app (and its database).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _background;
        _refresh.Dispose();
        _stopping.Dispose();
    }

    private bool IsFresh(Leaderboard board) => clock.GetUtcNow() - board.ComputedAt < TimeSpan.FromSeconds(Options.CacheSeconds);

    private async Task RefreshInBackgroundAsync()
    {
        try
        {
            Volatile.Write(ref _current, await ComputeAsync(Pacing.Background, _stopping.Token));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The stale leaderboard keeps being served; the next reader tries again.
            RefreshFailed(log, e);
        }
        finally
        {
            _refresh.Release();
        }
    }

    private static IQueryable<EscrowLine> EscrowLines(SustainDbContext db, Leaderboard board) =>
        GivingTotals.EscrowLines(db, board.Currency.Code).Where(l => l.PostedAt >= board.From && l.PostedAt <= board.To);

    /// <summary>Every month of the window, empty ones included, so the chart's axis is the window.</summary>
    private static List<MonthlyAmount> Monthly(Leaderboard board, IEnumerable<(DateTimeOffset At, long Amount)> amounts)
    {
        var sums = amounts.GroupBy(a => new DateOnly(a.At.UtcDateTime.Year, a.At.UtcDateTime.Month, 1)).ToDictionary(g => g.Key, g => g.Sum(a => a.Amount));
        var months = new List<MonthlyAmount>();
        for (var month = new DateOnly(board.From.UtcDateTime.Year, board.From.UtcDateTime.Month, 1); month <= DateOnly.FromDateTime(board.To.UtcDateTime); month = month.AddMonths(1))
            months.Add(new MonthlyAmount(month, new Money(sums.GetValueOrDefault(month), board.Currency)));
        return months;
    }

    private async Task<Leaderboard> ComputeAsync(Pacing pacing, CancellationToken cancellation)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var currency = Currency;
        var to = clock.GetUtcNow();
        var from = to.AddMonths(-Options.WindowMonths);
        var window = new Leaderboard(from, to, currency, null, [], new AnonymousGiving(0, Money.Zero(currency)), [], [], new Dictionary<string, ProjectStanding>(), to);

        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var (giving, full, linesRead) = await GivingAsync(db, from, to, pacing, cancellation);
        var claims = await db.MaintainerClaims.AsNoTracking().Where(c => c.State == ClaimState.Verified).Select(c => new { c.ProjectKey, c.UserId }).ToListAsync(cancellation);
        var organisations = await db.Organisations.AsNoTracking().Select(o => new { o.Id, o.Slug, o.Name, o.DeveloperHeadcount, o.LeaderboardOptIn }).ToDictionaryAsync(o => o.Id, cancellation);
        var maintainersOf = claims.GroupBy(c => c.ProjectKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(c => c.UserId).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);

        // Counted as the rows stream by rather than kept: a large instance has hundreds of thousands of them.
        var relyingCount = new Dictionary<string, int>(StringComparer.Ordinal);
        var reliedOnBy = new Dictionary<Guid, (int Projects, int Funded)>();
        var reliance = db.PackageProjects.AsNoTracking().Select(m => new { m.OrganisationId, m.ProjectKey }).Distinct().AsAsyncEnumerable();
        var rows = 0;
        await foreach (var relied in reliance.WithCancellation(cancellation))
        {
            await pacing.BreatheAsync(++rows, cancellation);
            CollectionsMarshal.GetValueRefOrAddDefault(relyingCount, relied.ProjectKey, out _)++;
            ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(reliedOnBy, relied.OrganisationId, out _);
            counts = (counts.Projects + 1, counts.Funded + (giving.Given(relied.OrganisationId, relied.ProjectKey) > 0 ? 1 : 0));
        }

        var dependents = new Dictionary<string, long>(StringComparer.Ordinal);
        // An SBOM can name a company's internal repositories: a project is shown publicly only once
        // GitHub has shown it to be a public repository, or a maintainer has claimed it.
        var shown = new HashSet<string>(maintainersOf.Keys, StringComparer.Ordinal);
        // One pass for both dependents and KnownPublic's test, which cannot be composed into a projection.
        var signals = db.ProjectSignals.AsNoTracking()
            .Select(s => new { s.ProjectKey, Public = s.Status == SignalsStatus.Fetched || s.Status == SignalsStatus.Demo, s.Dependents }).AsAsyncEnumerable();
        await foreach (var signal in signals.WithCancellation(cancellation))
        {
            await pacing.BreatheAsync(++rows, cancellation);
            if (signal.Dependents is { } count)
                dependents.Add(signal.ProjectKey, count);
            if (signal.Public)
                shown.Add(signal.ProjectKey);
        }

        var benchmark = currency == Currency.USD ? new Money(Options.BenchmarkUsdPerDeveloper * currency.MinorPerMajor, currency) : (Money?)null;
        var standings = new List<CompanyStanding>();
        var anonymousCount = 0;
        var anonymousGiven = 0L;
        // By project index: the net funding, how many organisations gave it more than nothing, and whether any line in the window names it.
        var funding = new (long Amount, int Funders, bool Named)[giving.ProjectCount];
        foreach (var (organisationId, given) in giving.ByOrganisation())
        {
            var total = 0L;
            foreach (var (project, pair) in given)
            {
                total += pair.Amount;
                ref var projectFunding = ref funding[project];
                projectFunding = (projectFunding.Amount + pair.Amount, projectFunding.Funders + (pair.Amount > 0 ? 1 : 0), true);
            }

            if (total <= 0 || !organisations.TryGetValue(organisationId, out var organisation))
                continue;
            if (!organisation.LeaderboardOptIn)
            {
                anonymousCount++;
                anonymousGiven += total;
                continue;
            }

            var funded = given.Where(g => g.Value.Amount > 0).Select(g => giving.ProjectKey(g.Key)).ToList();
            var relied = reliedOnBy.GetValueOrDefault(organisationId);
            var perDeveloper = organisation.DeveloperHeadcount > 0 ? new Money(total / organisation.DeveloperHeadcount, currency) : (Money?)null;
            standings.Add(new CompanyStanding(
                0, organisation.Slug, organisation.Name, new Money(total, currency), organisation.DeveloperHeadcount, perDeveloper,
                perDeveloper is { } p && benchmark is { } b ? (double)p.Minor / b.Minor : null,
                relied.Projects,
                relied.Funded,
                funded.Count,
                funded.SelectMany(f => maintainersOf.GetValueOrDefault(f) ?? []).Distinct(StringComparer.Ordinal).Count()));
        }

        var companies = standings.OrderByDescending(s => s.Given.Minor).ThenBy(s => s.Slug, StringComparer.Ordinal)
            .Select((s, i) => s with { Rank = i + 1 }).ToList();

        var fundingOf = new Dictionary<string, (long Amount, int Funders)>(StringComparer.Ordinal);
        for (var i = 0; i < funding.Length; i++)
        {
            if (funding[i].Named)
                fundingOf.Add(giving.ProjectKey(i), (funding[i].Amount, funding[i].Funders));
        }

        var keys = new HashSet<string>(fundingOf.Keys, StringComparer.Ordinal);
        keys.UnionWith(relyingCount.Keys);
        keys.UnionWith(dependents.Keys);
        keys.IntersectWith(shown);
        var projects = keys.Select(key => new ProjectStanding(
                0, key, new Money(Math.Max(0, fundingOf.GetValueOrDefault(key).Amount), currency), fundingOf.GetValueOrDefault(key).Funders,
                relyingCount.GetValueOrDefault(key), dependents.TryGetValue(key, out var d) ? d : null, maintainersOf.GetValueOrDefault(key)?.Count ?? 0))
            .ToList();
        var mostFunded = projects.Where(p => p.Funding.Minor > 0)
            .OrderByDescending(p => p.Funding.Minor).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select((p, i) => p with { Rank = i + 1 }).ToList();
        var byKey = new Dictionary<string, ProjectStanding>(projects.Count, StringComparer.Ordinal);
        foreach (var project in projects)
            byKey[project.Key] = project;
        foreach (var ranked in mostFunded)
            byKey[ranked.Key] = ranked;

        var threshold = Options.UnfundedBelowPerRelyingOrganisation * currency.MinorPerMajor;
        var critical = projects
            .Where(p => (p.RelyingOrganisations > 0 || p.Dependents > 0) && p.Funding.Minor < threshold * Math.Max(1, p.RelyingOrganisations))
            .OrderByDescending(p => p.RelyingOrganisations).ThenByDescending(p => p.Dependents ?? 0).ThenBy(p => p.Funding.Minor).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(Options.MaxExportRows)
            .Select((p, i) => p with { Rank = i + 1 })
            .ToList();

        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        Computed(log, companies.Count, projects.Count, elapsed, full ? "summing the window" : "reading changes", linesRead);
        return window with
        {
            BenchmarkPerDeveloper = benchmark,
            Companies = companies,
            Others = new AnonymousGiving(anonymousCount, new Money(anonymousGiven, currency)),
            MostFunded = mostFunded,
            CriticalUnfunded = critical,
            ProjectsByKey = byKey,
            ComputedAt = clock.GetUtcNow(),
        };
    }

    /// <summary>The giving totals over [<paramref name="from"/>, <paramref name="to"/>]: brought up to date, or summed afresh when due or when none are held.</summary>
    private async Task<(GivingTotals Totals, bool Full, int LinesRead)> GivingAsync(SustainDbContext db, DateTimeOffset from, DateTimeOffset to, Pacing pacing, CancellationToken cancellation)
    {
        var held = _giving;
        // Dropped until it is brought up to date: a refresh that fails half way must not leave half its changes counted.
        _giving = null;
        var margin = TimeSpan.FromSeconds(Options.RecordedMarginSeconds);
        if (held is null || to - held.LoadedAt >= TimeSpan.FromMinutes(Options.FullRefreshMinutes) || to < held.To)
        {
            var (loaded, read) = await GivingTotals.LoadAsync(db, Currency.Code, from, to, margin, to, pacing, cancellation);
            _giving = loaded;
            return (loaded, true, read);
        }

        var changed = await held.RefreshAsync(db, from, to, cancellation);
        _giving = held;
        return (held, false, changed);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the public leaderboards failed; the previous ones are still served")]
    private static partial void RefreshFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Computed the public leaderboards: {Companies} named organisations, {Projects} projects, in {Elapsed} ({How}, {Lines} ledger lines read)")]
    private static partial void Computed(ILogger logger, int companies, int projects, TimeSpan elapsed, string how, int lines);
}
