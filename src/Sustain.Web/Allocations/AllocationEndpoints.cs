using Sustain.Data;
using Sustain.Data.Organisations;
using Sustain.Web.Operations;
using Sustain.Web.Organisations;
using Sustain.Web.Sboms;

namespace Sustain.Web.Allocations;

public sealed record SnapshotShareJson(string Project, string Amount, long AmountMinor, string Percent, string Status, double Reliance, ShareReasons Reasons);

public sealed record SnapshotJson(
    Guid Id, string? Label, DateTimeOffset CreatedAt, string Currency, string Budget, long BudgetMinor, long AllocatedMinor, long UnallocatedMinor,
    string? UnallocatedReason, PolicySettings? Policy, IReadOnlyList<SnapshotShareJson>? Shares)
{
    public static SnapshotJson Of(SnapshotSummary summary, SnapshotView? view) => new(
        summary.Id, summary.Label, summary.CreatedAt, summary.Budget.Currency.Code, summary.Budget.ToAmountString(), summary.Budget.Minor, summary.Allocated.Minor,
        summary.Budget.Minor - summary.Allocated.Minor, view?.UnallocatedReason, view?.Settings,
        view?.Shares.Select(s => new SnapshotShareJson(s.ProjectKey, s.Amount.ToAmountString(), s.Amount.Minor, ShareRow.PercentText(s.Amount, summary.Budget), s.Status.ToString(), s.Reliance, s.Reasons)).ToList());
}

/// <summary>
/// The snapshot API under <c>/api/v1/orgs/{org}/snapshots</c>: list, read, and the two CSV exports.
/// A member's session or an organisation token with the <c>sboms:read</c> scope reads them (an allocation
/// is derived from the SBOMs); everyone else gets 404.
/// </summary>
public static class AllocationEndpoints
{
    public static RouteGroupBuilder MapAllocationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/orgs/{org}/snapshots").RequireRateLimiting(OperationsSetup.ApiRateLimitPolicy).WithTags("Allocations");

        api.MapGet("", async (string org, HttpContext http, OrganisationAccess access, SnapshotService snapshots) =>
        {
            var caller = await access.ForRequestAsync(http, org, ApiTokenScopes.SbomsRead);
            if (caller is null)
                return SbomEndpoints.NotFound(org);
            var list = await snapshots.ListAsync(caller.Organisation.Id, http.RequestAborted);
            return Results.Ok(list.Select(s => SnapshotJson.Of(s, null)));
        }).WithName("ListSnapshots").WithSummary("The organisation's saved allocation snapshots, newest first").Produces<SnapshotJson[]>();

        api.MapGet("/{id:guid}", async (string org, Guid id, HttpContext http, OrganisationAccess access, SnapshotService snapshots) =>
        {
            var snapshot = await FindAsync(org, id, http, access, snapshots);
            return snapshot is null ? SbomEndpoints.NotFound(org) : Results.Ok(SnapshotJson.Of(snapshot.Summary, snapshot));
        }).WithName("GetSnapshot")
            .WithSummary("One snapshot: budget, the policy used, and every share with its reasons")
            .Produces<SnapshotJson>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id:guid}/allocation.csv", async (string org, Guid id, HttpContext http, OrganisationAccess access, SnapshotService snapshots) =>
        {
            var snapshot = await FindAsync(org, id, http, access, snapshots);
            return snapshot is null ? SbomEndpoints.NotFound(org) : Csv(AllocationExports.AllocationCsv(snapshot), $"allocation-{id:N}.csv");
        }).WithName("SnapshotAllocationCsv")
            .WithSummary("The snapshot as CSV")
            .WithDescription("Columns: project, amount (major units, as many decimals as the currency has), amount_minor, currency, percent (of the budget), status, reasons. Money no project could receive is a row '(unallocated)', so amount_minor sums to the budget.")
            .Produces<string>(contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id:guid}/sponsors.csv", async (string org, Guid id, HttpContext http, OrganisationAccess access, SnapshotService snapshots, SustainDbContext db) =>
        {
            var caller = await access.ForRequestAsync(http, org, ApiTokenScopes.SbomsRead);
            var snapshot = caller is null ? null : await snapshots.GetAsync(caller.Organisation.Id, id, http.RequestAborted);
            if (caller is null || snapshot is null)
                return SbomEndpoints.NotFound(org);
            var accounts = await AllocationExports.SponsorableAccountsAsync(db, caller.Organisation.Id, [.. snapshot.Shares.Where(s => s.Amount.Minor > 0).Select(s => s.ProjectKey)], http.RequestAborted);
            var csv = AllocationExports.SponsorsCsv(snapshot, accounts);
            return csv is null
                ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not in US dollars", detail: $"GitHub Sponsors takes amounts in USD, and this snapshot is in {snapshot.Budget.Currency.Code}. Save a snapshot in USD to export it for GitHub Sponsors.")
                : Csv(csv, $"github-sponsors-{id:N}.csv");
        }).WithName("SnapshotSponsorsCsv")
            .WithSummary("The snapshot as a GitHub Sponsors bulk sponsorship file")
            .WithDescription("Columns 'Maintainer username' and 'Sponsorship amount in USD', as GitHub Sponsors' bulk sponsorship import reads them: the funded projects that declare a GitHub Sponsors account (FUNDING.yml or funding.json, else a github.com/sponsors funding link from the package registry), amounts summed per account in whole dollars. USD snapshots only (409 otherwise).")
            .Produces<string>(contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    private static async Task<SnapshotView?> FindAsync(string org, Guid id, HttpContext http, OrganisationAccess access, SnapshotService snapshots)
    {
        var caller = await access.ForRequestAsync(http, org, ApiTokenScopes.SbomsRead);
        return caller is null ? null : await snapshots.GetAsync(caller.Organisation.Id, id, http.RequestAborted);
    }

    private static IResult Csv(string content, string fileName) =>
        Results.File(System.Text.Encoding.UTF8.GetBytes(content), "text/csv; charset=utf-8", fileName);
}

public static class AllocationsSetup
{
    public static IHostApplicationBuilder AddAllocations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<AllocationBasisReader>();
        builder.Services.AddSingleton<PolicyStore>();
        builder.Services.AddSingleton<SnapshotService>();
        builder.Services.AddSingleton<ContributionProgressReader>();
        return builder;
    }

    public static WebApplication MapAllocations(this WebApplication app)
    {
        app.MapAllocationApi();
        return app;
    }
}
