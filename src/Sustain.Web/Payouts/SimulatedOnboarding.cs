using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Stripe;
using Sustain.Web.Payments;

namespace Sustain.Web.Payouts;

/// <summary>
/// Finishes a simulated onboarding by writing the <c>account.updated</c> Stripe would send for a completed
/// Express account, and handing it to the same processor a real webhook reaches.
/// </summary>
public sealed class SimulatedOnboarding(IConnectGateway connect, ConnectedAccounts accounts, StripeEventProcessor processor, IOptions<StripeOptions> stripe, TimeProvider time)
{
    /// <summary>Null when done; otherwise why not.</summary>
    public async Task<string?> CompleteAsync(string userId, CancellationToken cancellation = default)
    {
        if (!connect.IsSimulated)
            return "Payouts go through Stripe on this instance; onboarding happens on Stripe's pages.";
        if (await accounts.ForUserAsync(userId, cancellation) is not { } account)
            return "You have no simulated account to onboard yet; choose Set up payouts first.";
        var status = await connect.GetAccountAsync(account.AccountId, cancellation);
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
                    ["id"] = status.AccountId,
                    ["object"] = "account",
                    ["type"] = "express",
                    ["details_submitted"] = status.DetailsSubmitted,
                    ["charges_enabled"] = status.ChargesEnabled,
                    ["payouts_enabled"] = status.PayoutsEnabled,
                    ["requirements"] = new JsonObject { ["currently_due"] = new JsonArray(), ["disabled_reason"] = null },
                    ["livemode"] = stripe.Value.LiveMode,
                },
            },
        }.ToJsonString();
        await processor.ProcessAsync(EventUtility.ParseEvent(json, throwOnApiVersionMismatch: false), cancellation);
        return null;
    }
}
