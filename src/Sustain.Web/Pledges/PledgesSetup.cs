using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Sustain.Web.Jobs;
using Sustain.Web.Organisations;
using Sustain.Web.Payments;

namespace Sustain.Web.Pledges;

public static class PledgesSetup
{
    public const string LedgerCheckPath = "/api/ops/ledger/check";

    public static IHostApplicationBuilder AddPledges(this IHostApplicationBuilder builder)
    {
        builder.AddPayments();
        builder.Services.AddScoped<PledgeService>();
        builder.Services.AddScoped<LedgerReports>();
        builder.Services.AddScoped<PledgeQueries>();
        builder.Services.AddScoped<LedgerCheck>();
        builder.Services.AddScoped<SimulatedCheckout>();
        return builder;
    }

    public static WebApplication MapPledges(this WebApplication app)
    {
        app.MapPayments();

        app.MapGet("/app/{org}/ledger.csv", async (string org, int? year, HttpContext http, OrganisationAccess access, LedgerReports reports) =>
        {
            if (await access.ForUserAsync(org, http.User, http.RequestAborted) is not { } member)
                return Results.NotFound();
            if (year is < 2000 or > 9999)
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad year", detail: $"'year' is a four-digit year such as {DateTime.UtcNow.Year}; {year} is not.");
            var name = $"sustain-ledger-{member.Organisation.Slug}{(year is { } y ? "-" + y.ToString(CultureInfo.InvariantCulture) : "")}.csv";
            return Results.Stream(async body =>
            {
                await using var writer = new StreamWriter(body, new System.Text.UTF8Encoding(false));
                await reports.WriteCsvAsync(member.Organisation.Id, year, writer, http.RequestAborted);
            }, "text/csv; charset=utf-8", name);
        }).RequireAuthorization().ExcludeFromDescription();

        app.MapPost(LedgerCheckPath, async (HttpContext http, LedgerCheck check) =>
            http.User.IsInRole(Operators.Role) ? Results.Ok(await check.RunAsync(http.RequestAborted)) : Results.NotFound())
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser())
            .WithSummary("Operators: checks the ledger's consistency and reports every problem found.");
        return app;
    }
}
