using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Core.Ledger;
using Sustain.Web.Leaderboards;
using Sustain.Web.Tests.Infrastructure;
using static Sustain.Web.Tests.Leaderboards.LeaderboardDataset;

namespace Sustain.Web.Tests.Leaderboards;

/// <summary>
/// An instance that has been running keeps its leaderboards up to date by reading only the ledger
/// lines that changed; each test compares what it answers with what a newly started instance, which
/// sums the whole window, answers over the same database at the same moment.
/// </summary>
public sealed class LeaderboardRefreshTests
{
    private static readonly string[] Projects = [Alpha, Beta, Gamma, Delta];

    [Fact]
    public async Task A_refresh_counts_payments_refunds_disputes_and_back_dated_postings_as_a_full_computation_does()
    {
        await using var app = App();
        var dataset = await CreateAsync(app);
        var clock = new AdjustableClock();
        await using var live = WithClock(app, clock);
        var before = await FiguresAsync(live);
        var now = clock.GetUtcNow();

        await WriteAsync(app, db =>
        {
            Post(db, dataset.Globex, LedgerKinds.Payment, now, DateTimeOffset.UtcNow, "USD", (Gamma, 400_000));
            Post(db, dataset.Initech, LedgerKinds.Refund, now, DateTimeOffset.UtcNow, "USD", (Alpha, -500_000));
            // Hushco's only payment disputed: it gave nothing, so it is no longer counted among the others.
            Post(db, dataset.Hushco, LedgerKinds.Dispute, now, DateTimeOffset.UtcNow, "USD", (Beta, -300_000));
            // A late webhook: posted at its event's time eleven months ago, recorded now.
            Post(db, dataset.Dormant, LedgerKinds.Payment, now.AddMonths(-11), DateTimeOffset.UtcNow, "USD", (Delta, 250_000));
        });
        var refreshed = await FiguresAsync(live);

        Assert.NotEqual(before, refreshed);
        Assert.Equal(await FreshFiguresAsync(app, clock), refreshed);
        var companies = await CompaniesAsync(live);
        Assert.Equal([("globex", 1_900_000L), ("initech", 1_500_000L), ("dormant", 250_000L)], companies.Companies.Select(c => (c.Slug, c.GivenMinor)));
        Assert.Equal(new OtherOrganisations(0, 0), companies.OtherOrganisations);
    }

    [Fact]
    public async Task A_posting_committed_late_within_the_margin_is_counted_once()
    {
        await using var app = App();
        var dataset = await CreateAsync(app);
        var clock = new AdjustableClock();
        await using var live = WithClock(app, clock);
        var now = clock.GetUtcNow();
        await WriteAsync(app, db => Post(db, dataset.Initech, LedgerKinds.Payment, now, DateTimeOffset.UtcNow, "USD", (Beta, 10_000)));
        await FiguresAsync(live);

        // Recorded two minutes before the posting already read, visible only now: a transaction that took that long to commit.
        await WriteAsync(app, db => Post(db, dataset.Globex, LedgerKinds.Payment, now, DateTimeOffset.UtcNow.AddMinutes(-2), "USD", (Beta, 50_000)));
        var refreshed = await FiguresAsync(live);

        Assert.Equal(await FreshFiguresAsync(app, clock), refreshed);
        // Every request refreshed again, reading that posting each time; it still counts once.
        Assert.Equal(refreshed, await FiguresAsync(live));
        Assert.Equal([("initech", 2_010_000L), ("globex", 1_550_000L)], (await CompaniesAsync(live)).Companies.Select(c => (c.Slug, c.GivenMinor)));
    }

    [Fact]
    public async Task Lines_leave_the_window_and_lines_posted_ahead_of_the_clock_join_it_as_time_passes()
    {
        await using var app = App(fullRefreshMinutes: 10_000_000);
        var dataset = await CreateAsync(app);
        var clock = new AdjustableClock();
        await using var live = WithClock(app, clock);
        await FiguresAsync(live);
        // Posted by a writer whose clock runs half an hour ahead.
        await WriteAsync(app, db => Post(db, dataset.Initech, LedgerKinds.Payment, clock.GetUtcNow().AddMinutes(30), DateTimeOffset.UtcNow, "USD", (Alpha, 70_000)));

        Assert.Equal(await FreshFiguresAsync(app, clock), await FiguresAsync(live));
        Assert.Equal(2_000_000, (await CompaniesAsync(live)).Companies.Single(c => c.Slug == "initech").GivenMinor);

        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(await FreshFiguresAsync(app, clock), await FiguresAsync(live));
        Assert.Equal(2_070_000, (await CompaniesAsync(live)).Companies.Single(c => c.Slug == "initech").GivenMinor);

        // Globex paid two months ago, Hushco one month ago: after ten and a half months only Globex's payment has left.
        clock.Advance(TimeSpan.FromDays(320));
        Assert.Equal(await FreshFiguresAsync(app, clock), await FiguresAsync(live));
        var companies = await CompaniesAsync(live);
        Assert.Equal([("initech", 2_070_000L)], companies.Companies.Select(c => (c.Slug, c.GivenMinor)));
        Assert.Equal(new OtherOrganisations(1, 300_000), companies.OtherOrganisations);

        clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(await FreshFiguresAsync(app, clock), await FiguresAsync(live));
        Assert.Equal(new OtherOrganisations(0, 0), (await CompaniesAsync(live)).OtherOrganisations);
    }

    [Fact]
    public async Task On_a_leap_day_the_window_starts_earlier_and_takes_back_the_lines_it_had_left()
    {
        await using var app = App(fullRefreshMinutes: 10_000_000);
        var dataset = await CreateAsync(app);
        var clock = new AdjustableClock();
        clock.Advance(new DateTimeOffset(2028, 2, 28, 23, 30, 0, TimeSpan.Zero) - clock.GetUtcNow());
        await using var live = WithClock(app, clock);
        await WriteAsync(app, db => Post(db, dataset.Globex, LedgerKinds.Payment, new DateTimeOffset(2027, 2, 28, 12, 0, 0, TimeSpan.Zero), DateTimeOffset.UtcNow, "USD", (Alpha, 80_000)));

        // Twelve months before 23:30 on 28 February 2028 is 23:30 on 28 February 2027: the payment is outside.
        Assert.Equal(await FreshFiguresAsync(app, clock), await FiguresAsync(live));
        Assert.Empty((await CompaniesAsync(live)).Companies);

        // Twelve months before 00:30 on 29 February 2028 is 00:30 on 28 February 2027, there being no 29th.
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(await FreshFiguresAsync(app, clock), await FiguresAsync(live));
        Assert.Equal([("globex", 80_000L)], (await CompaniesAsync(live)).Companies.Select(c => (c.Slug, c.GivenMinor)));

        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(await FreshFiguresAsync(app, clock), await FiguresAsync(live));
        Assert.Empty((await CompaniesAsync(live)).Companies);
    }

    [Fact]
    public async Task A_posting_that_became_visible_later_than_the_margin_is_counted_by_the_next_full_refresh()
    {
        await using var app = App(fullRefreshMinutes: 60);
        var dataset = await CreateAsync(app);
        var clock = new AdjustableClock();
        await using var live = WithClock(app, clock);
        var now = clock.GetUtcNow();
        await WriteAsync(app, db => Post(db, dataset.Initech, LedgerKinds.Payment, now, DateTimeOffset.UtcNow, "USD", (Beta, 10_000)));
        await FiguresAsync(live);

        // Recorded an hour before the newest posting read: beyond the five minutes' margin, so not looked for.
        await WriteAsync(app, db => Post(db, dataset.Globex, LedgerKinds.Payment, now.AddHours(-1), DateTimeOffset.UtcNow.AddHours(-1), "USD", (Beta, 600_000)));
        Assert.Equal(1_500_000, (await CompaniesAsync(live)).Companies.Single(c => c.Slug == "globex").GivenMinor);
        Assert.NotEqual(await FreshFiguresAsync(app, clock), await FiguresAsync(live));

        clock.Advance(TimeSpan.FromMinutes(60));
        Assert.Equal(await FreshFiguresAsync(app, clock), await FiguresAsync(live));
        Assert.Equal(2_100_000, (await CompaniesAsync(live)).Companies.Single(c => c.Slug == "globex").GivenMinor);
    }

    private static SustainAppFactory App(int? fullRefreshMinutes = null)
    {
        var app = LeaderboardDataset.App();
        if (fullRefreshMinutes is { } minutes)
            app.Settings["Leaderboards:FullRefreshMinutes"] = minutes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return app;
    }

    /// <summary>Another instance of the app on the same database, reading the time from <paramref name="clock"/>.</summary>
    private static WebApplicationFactory<Program> WithClock(SustainAppFactory app, TimeProvider clock) =>
        app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton(clock)));

    private static async Task WriteAsync(SustainAppFactory app, Action<Sustain.Data.SustainDbContext> write) =>
        await app.QueryAsync(db =>
        {
            write(db);
            return db.SaveChangesAsync();
        });

    /// <summary>What a newly started instance answers: it sums the whole window.</summary>
    private static async Task<string> FreshFiguresAsync(SustainAppFactory app, TimeProvider clock)
    {
        await using var fresh = WithClock(app, clock);
        return await FiguresAsync(fresh);
    }

    /// <summary>Every figure the leaderboards publish: both rankings in full, and each project's badge (which also tells a project with no funding from an unknown one).</summary>
    private static async Task<string> FiguresAsync(WebApplicationFactory<Program> app)
    {
        using var client = app.CreateClient();
        var figures = new List<string>
        {
            await client.GetStringAsync("/api/v1/public/leaderboards/companies?limit=10000"),
            await client.GetStringAsync("/api/v1/public/leaderboards/projects?limit=10000"),
        };
        foreach (var project in Projects)
            figures.Add(await client.GetStringAsync($"/badges/projects/{project}.svg"));
        return string.Join('\n', figures);
    }

    private static async Task<CompaniesData> CompaniesAsync(WebApplicationFactory<Program> app)
    {
        using var client = app.CreateClient();
        var data = await client.GetFromJsonAsync<CompaniesData>("/api/v1/public/leaderboards/companies?limit=10000");
        Assert.NotNull(data);
        return data;
    }
}
