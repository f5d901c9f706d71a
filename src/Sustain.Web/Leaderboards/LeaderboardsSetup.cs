using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Sustain.Core;
using Sustain.Core.Badges;
using Sustain.Web.Operations;

namespace Sustain.Web.Leaderboards;

/// <summary>
/// The public side: leaderboard and profile pages, badges and open data. All of it is output-cached
/// in each instance's memory for <see cref="LeaderboardOptions.CacheSeconds"/>: instances behind a
/// load balancer may disagree for that long, and never longer, which is why the expiry is short
/// rather than evicted on every payment.
/// </summary>
public static class LeaderboardsSetup
{
    /// <summary>Public pages: they differ by theme (a cookie) and by nothing else for an anonymous reader.</summary>
    public const string PagePolicy = "public-page";

    /// <summary>Badges and open data: the same bytes for everyone.</summary>
    public const string DataPolicy = "public-data";

    public const string Tag = "leaderboards";

    public static IHostApplicationBuilder AddLeaderboards(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LeaderboardOptions>().BindConfiguration(LeaderboardOptions.Section)
            .Validate(o => Currency.TryFind(o.Currency, out _), "Leaderboards:Currency must be an ISO 4217 code.")
            .Validate(o => o.WindowMonths > 0 && o.PageRows > 0 && o.MaxExportRows >= o.PageRows && o.CacheSeconds >= 0, "Leaderboards: WindowMonths and PageRows must be positive, MaxExportRows at least PageRows, CacheSeconds not negative.")
            .Validate(o => o.RecordedMarginSeconds >= 0 && o.FullRefreshMinutes > 0, "Leaderboards: RecordedMarginSeconds must not be negative and FullRefreshMinutes must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<LeaderboardQueries>();

        var seconds = builder.Configuration.GetSection(LeaderboardOptions.Section).Get<LeaderboardOptions>()?.CacheSeconds ?? new LeaderboardOptions().CacheSeconds;
        builder.Services.AddOutputCache(cache =>
        {
            cache.AddPolicy(PagePolicy, policy =>
            {
                if (seconds > 0)
                    policy.AddPolicy<AnonymousPagePolicy>();
                Expiring(policy, seconds).VaryByValue(http => new KeyValuePair<string, string>("theme", ThemePreference.IsDark(http) ? "dark" : "light"));
            });
            cache.AddPolicy(DataPolicy, policy => Expiring(policy, seconds).SetVaryByQuery("limit"));
        });
        return builder;
    }

    public static WebApplication MapLeaderboards(this WebApplication app)
    {
        // After authentication (UseOperations), so a signed-in reader, whose header differs, is never served from or stored in the cache.
        app.UseOutputCache();

        app.MapGet("/badges/companies/{slug}.svg", async (string slug, LeaderboardQueries queries, IOptions<LeaderboardOptions> options, HttpContext http) =>
            Svg(http, options.Value, CompanyBadge(await queries.CurrentAsync(http.RequestAborted), slug)))
            .CacheOutput(DataPolicy).ExcludeFromDescription();
        app.MapGet("/badges/projects/{**key}", async (string key, LeaderboardQueries queries, IOptions<LeaderboardOptions> options, HttpContext http) =>
        {
            if (!key.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
                return Results.NotFound();
            return Svg(http, options.Value, ProjectBadge(await queries.CurrentAsync(http.RequestAborted), key[..^4]));
        }).CacheOutput(DataPolicy).ExcludeFromDescription();

        var api = app.MapGroup("/api/v1/public/leaderboards").RequireRateLimiting(OperationsSetup.ApiRateLimitPolicy).CacheOutput(DataPolicy).WithTags("Open data");
        api.MapGet("/companies", async (int? limit, LeaderboardQueries queries, IOptions<LeaderboardOptions> options, HttpContext http) =>
                Limit(limit, options.Value) is { } rows
                    ? Results.Ok(OpenData.Companies(await queries.CurrentAsync(http.RequestAborted), rows))
                    : BadLimit(options.Value))
            .WithName("CompaniesLeaderboard")
            .WithSummary("Organisations ranked by what they gave open source projects over the last twelve months")
            .WithDescription("Only organisations that opted in are named; the others are counted together in otherOrganisations. Amounts are minor units (cents) of the given currency, net of payment fees and refunds. The same list as CSV: /api/v1/public/leaderboards/companies.csv. Cached for about a minute.")
            .Produces<CompaniesData>().ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/companies.csv", async (int? limit, LeaderboardQueries queries, IOptions<LeaderboardOptions> options, HttpContext http) =>
                Limit(limit, options.Value) is { } rows
                    ? Results.Text(OpenData.CompaniesCsv(OpenData.Companies(await queries.CurrentAsync(http.RequestAborted), rows)), "text/csv; charset=utf-8")
                    : BadLimit(options.Value))
            .WithName("CompaniesLeaderboardCsv")
            .WithSummary("The companies leaderboard as CSV; the last row is the organisations not named, together")
            .Produces<string>(contentType: "text/csv").ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/projects", async (int? limit, LeaderboardQueries queries, IOptions<LeaderboardOptions> options, HttpContext http) =>
                Limit(limit, options.Value) is { } rows
                    ? Results.Ok(OpenData.Projects(await queries.CurrentAsync(http.RequestAborted), rows))
                    : BadLimit(options.Value))
            .WithName("ProjectsLeaderboard")
            .WithSummary("The most funded projects, and the critical projects that receive little or nothing")
            .WithDescription("criticalUnfunded ranks projects by how many organisations rely on them (from their SBOMs), then by dependents, among those that received less than USD 100 per relying organisation over the window. The same lists as CSV: /api/v1/public/leaderboards/projects.csv.")
            .Produces<ProjectsData>().ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/projects.csv", async (int? limit, LeaderboardQueries queries, IOptions<LeaderboardOptions> options, HttpContext http) =>
                Limit(limit, options.Value) is { } rows
                    ? Results.Text(OpenData.ProjectsCsv(OpenData.Projects(await queries.CurrentAsync(http.RequestAborted), rows)), "text/csv; charset=utf-8")
                    : BadLimit(options.Value))
            .WithName("ProjectsLeaderboardCsv")
            .WithSummary("Both project lists as CSV, told apart by the list column")
            .Produces<string>(contentType: "text/csv").ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    /// <summary>A private, unknown or non-giving organisation all get the same neutral badge, so a badge tells nothing of who exists.</summary>
    public static (string Label, string Message, BadgeTone Tone) CompanyBadge(Leaderboard board, string slug)
    {
        if (board.Company(slug) is not { } company)
            return ("sustain", "not public", BadgeTone.Neutral);
        var tone = company.ShareOfBenchmark switch
        {
            >= 1 => BadgeTone.Good,
            null or > 0 => BadgeTone.Fair,
            _ => BadgeTone.Poor,
        };
        return ("gives to open source", $"{Whole(company.Given)} / year", tone);
    }

    public static (string Label, string Message, BadgeTone Tone) ProjectBadge(Leaderboard board, string key)
    {
        key = Uri.UnescapeDataString(key).Trim('/').ToLowerInvariant();
        if (board.Project(key) is not { } project)
            return ("sustain", "unknown project", BadgeTone.Neutral);
        if (project.Funding.IsZero)
            return ("sustain", "not funded yet", BadgeTone.Poor);
        var funders = project.Funders == 1 ? "1 organisation" : $"{project.Funders} organisations";
        return ("funded", $"{Whole(project.Funding)} / year by {funders}", BadgeTone.Good);
    }

    /// <summary>"USD 12,400": whole units read better on a leaderboard and a badge than cents.</summary>
    public static string Whole(Money money)
    {
        var perMajor = money.Currency.MinorPerMajor;
        var text = new Money(money.Minor / perMajor * perMajor, money.Currency).ToString();
        return money.Currency.Exponent > 0 ? text[..text.LastIndexOf('.')] : text;
    }

    private static OutputCachePolicyBuilder Expiring(OutputCachePolicyBuilder policy, int seconds) =>
        seconds > 0 ? policy.Expire(TimeSpan.FromSeconds(seconds)).Tag(Tag) : policy.NoCache();

    private static IResult Svg(HttpContext http, LeaderboardOptions options, (string Label, string Message, BadgeTone Tone) badge)
    {
        http.Response.Headers.CacheControl = $"public, max-age={options.CacheSeconds}";
        return Results.Text(Badge.Render(badge.Label, badge.Message, badge.Tone), "image/svg+xml; charset=utf-8");
    }

    private static int? Limit(int? limit, LeaderboardOptions options) => limit switch
    {
        null => options.PageRows,
        >= 1 when limit <= options.MaxExportRows => limit,
        _ => null,
    };

    private static IResult BadLimit(LeaderboardOptions options) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: $"limit must be between 1 and {options.MaxExportRows}.");
}
