using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Sustain.Web.Jobs;
using Sustain.Web.Payments;

namespace Sustain.Web.Payouts;

/// <summary>The payout endpoints that are not pages: onboarding redirects, the CSV export, the simulated onboarding's completion and the operator's "Run now".</summary>
internal static class PayoutEndpoints
{
    public const string RunNowPath = "/api/ops/payouts/run";

    public static void Map(WebApplication app)
    {
        var signedIn = app.MapGroup("").RequireAuthorization(policy => policy.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser()).ExcludeFromDescription();

        signedIn.MapGet(PayoutLinks.Onboard, async (HttpContext http, ConnectedAccounts accounts) =>
        {
            var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
            try
            {
                var link = await accounts.StartOnboardingAsync(userId, http.User.FindFirstValue(ClaimTypes.Email), new Uri($"{http.Request.Scheme}://{http.Request.Host}/"), http.RequestAborted);
                return Results.Redirect(link.ToString());
            }
            catch (GatewayUnavailableException e)
            {
                return Results.Redirect($"{PayoutLinks.Dashboard}?error={Uri.EscapeDataString("Stripe could not start onboarding just now; try again in a minute. " + e.Message)}");
            }
        });

        signedIn.MapGet(PayoutLinks.Returned, async (HttpContext http, ConnectedAccounts accounts) =>
        {
            try
            {
                await accounts.RefreshAsync(http.User.FindFirstValue(ClaimTypes.NameIdentifier)!, http.RequestAborted);
                return Results.Redirect($"{PayoutLinks.Dashboard}?onboarded=1");
            }
            catch (GatewayUnavailableException)
            {
                return Results.Redirect($"{PayoutLinks.Dashboard}?onboarded=1&pending=1");
            }
        });

        signedIn.MapGet(PayoutLinks.Export, async (HttpContext http, PayoutQueries queries) =>
        {
            var view = await queries.ForMaintainerAsync(http.User.FindFirstValue(ClaimTypes.NameIdentifier)!, http.RequestAborted);
            return Results.Stream(async body =>
            {
                await using var writer = new StreamWriter(body, new System.Text.UTF8Encoding(false));
                await PayoutQueries.WriteCsvAsync(view.Incoming, writer);
            }, "text/csv; charset=utf-8", "sustain-incoming.csv");
        });

        signedIn.MapPost(RunNowPath, async (HttpContext http, JobQueue queue, TimeProvider time) =>
        {
            if (!http.User.IsInRole(Operators.Role))
                return Results.NotFound();
            var job = await RunNowAsync(queue, time, http.RequestAborted);
            return Results.Accepted(value: new { jobId = job });
        }).WithSummary("Operators: starts a payout run now.");
    }

    public static async Task<Guid> RunNowAsync(JobQueue queue, TimeProvider time, CancellationToken cancellation)
    {
        var now = time.GetUtcNow();
        var job = await queue.EnqueueAsync(PayoutJobKinds.Run, new RecurringOccurrence(PayoutJobKinds.Run, now), $"manual:{now.UtcTicks}", cancellationToken: cancellation);
        return job.Id;
    }
}
