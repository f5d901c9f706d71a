using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Stripe;
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

        signedIn.MapPost(SimulatedConnect.OnboardingPath, async (HttpContext http, IConnectGateway connect, ConnectedAccounts accounts, StripeEventProcessor processor, IOptions<StripeOptions> stripe, TimeProvider time) =>
        {
            if (!connect.IsSimulated)
                return Results.NotFound();
            var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
            if (await accounts.ForUserAsync(userId, http.RequestAborted) is not { } account)
                return Results.Redirect($"{PayoutLinks.Dashboard}?error={Uri.EscapeDataString("You have no simulated account to onboard yet; choose Set up payouts first.")}");
            // The same account.updated Stripe would send, through the same processor a real webhook reaches.
            var json = new JsonObject
            {
                ["id"] = $"evt_sim_{Guid.NewGuid():N}",
                ["object"] = "event",
                ["type"] = EventTypes.AccountUpdated,
                ["created"] = time.GetUtcNow().ToUnixTimeSeconds(),
                ["livemode"] = stripe.Value.LiveMode,
                ["api_version"] = StripeConfiguration.ApiVersion,
                ["data"] = new JsonObject
                {
                    ["object"] = new JsonObject
                    {
                        ["id"] = account.AccountId,
                        ["object"] = "account",
                        ["type"] = "express",
                        ["details_submitted"] = true,
                        ["charges_enabled"] = true,
                        ["payouts_enabled"] = true,
                        ["requirements"] = new JsonObject { ["currently_due"] = new JsonArray(), ["disabled_reason"] = null },
                    },
                },
            }.ToJsonString();
            await processor.ProcessAsync(EventUtility.ParseEvent(json, throwOnApiVersionMismatch: false), http.RequestAborted);
            return Results.Redirect($"{PayoutLinks.Dashboard}?onboarded=1");
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
