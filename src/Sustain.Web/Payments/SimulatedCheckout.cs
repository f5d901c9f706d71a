using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Stripe;
using Sustain.Core;
using Sustain.Data.Pledges;

namespace Sustain.Web.Payments;

/// <summary>
/// Completes a simulated checkout by writing the events Stripe would send (checkout completed, and for
/// a subscription its first invoice paid) and handing them to the same processor a real webhook reaches.
/// </summary>
public sealed class SimulatedCheckout(StripeEventProcessor processor, IOptions<StripeOptions> options, TimeProvider time)
{
    public async Task<IReadOnlyList<EventOutcome>> PayAsync(Pledge pledge, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(pledge);
        var amount = new Money(pledge.AmountMinor, Currency.Find(pledge.Currency));
        var intent = SimulatedGateway.NewPaymentIntentId(amount);
        var metadata = new JsonObject { [PledgeMetadata.PledgeId] = pledge.Id.ToString(), [PledgeMetadata.OrganisationId] = pledge.OrganisationId.ToString() };
        var recurring = pledge.Frequency != PledgeFrequency.OneOff;
        var subscription = recurring ? $"sub_sim_{Guid.NewGuid():N}" : null;
        var session = new JsonObject
        {
            ["id"] = pledge.CheckoutSessionId,
            ["object"] = "checkout.session",
            ["mode"] = recurring ? "subscription" : "payment",
            ["payment_status"] = "paid",
            ["status"] = "complete",
            ["amount_total"] = amount.Minor,
            ["currency"] = amount.Currency.Code.ToLowerInvariant(),
            ["client_reference_id"] = pledge.Id.ToString(),
            ["payment_intent"] = recurring ? null : intent,
            ["subscription"] = subscription,
            ["metadata"] = metadata.DeepClone(),
            ["livemode"] = options.Value.LiveMode,
        };

        var outcomes = new List<EventOutcome> { await ProcessAsync(EventTypes.CheckoutSessionCompleted, session, cancellation) };
        if (recurring)
        {
            var invoice = new JsonObject
            {
                ["id"] = $"in_sim_{Guid.NewGuid():N}",
                ["object"] = "invoice",
                ["status"] = "paid",
                ["amount_paid"] = amount.Minor,
                ["currency"] = amount.Currency.Code.ToLowerInvariant(),
                ["parent"] = new JsonObject
                {
                    ["type"] = "subscription_details",
                    ["subscription_details"] = new JsonObject { ["subscription"] = subscription, ["metadata"] = metadata.DeepClone() },
                },
                ["payments"] = new JsonObject
                {
                    ["object"] = "list",
                    ["data"] = new JsonArray(new JsonObject
                    {
                        ["object"] = "invoice_payment",
                        ["status"] = "paid",
                        ["payment"] = new JsonObject { ["type"] = "payment_intent", ["payment_intent"] = intent },
                    }),
                },
                ["livemode"] = options.Value.LiveMode,
            };
            outcomes.Add(await ProcessAsync(EventTypes.InvoicePaid, invoice, cancellation));
        }

        return outcomes;
    }

    private Task<EventOutcome> ProcessAsync(string type, JsonObject payload, CancellationToken cancellation)
    {
        var json = new JsonObject
        {
            ["id"] = $"evt_sim_{Guid.NewGuid():N}",
            ["object"] = "event",
            ["type"] = type,
            ["created"] = time.GetUtcNow().ToUnixTimeSeconds(),
            ["livemode"] = options.Value.LiveMode,
            ["api_version"] = StripeConfiguration.ApiVersion,
            ["data"] = new JsonObject { ["object"] = payload },
        }.ToJsonString();
        return processor.ProcessAsync(EventUtility.ParseEvent(json, throwOnApiVersionMismatch: false), cancellation);
    }
}
