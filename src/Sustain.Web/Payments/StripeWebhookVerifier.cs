using Microsoft.Extensions.Options;
using Stripe;

namespace Sustain.Web.Payments;

/// <summary>Checks a webhook the way Stripe documents it, with Stripe.net's own <see cref="EventUtility"/>.</summary>
public sealed class StripeWebhookVerifier(IOptions<StripeOptions> options)
{
    public Event Verify(string json, string? signatureHeader)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.WebhookSecret))
            throw new WebhookRejectedException("This instance has no webhook signing secret (Stripe:WebhookSecret), so it accepts no webhooks.");
        if (string.IsNullOrWhiteSpace(signatureHeader))
            throw new WebhookRejectedException("The request has no Stripe-Signature header.");
        try
        {
            return EventUtility.ConstructEvent(json, signatureHeader, settings.WebhookSecret, settings.WebhookToleranceSeconds, throwOnApiVersionMismatch: false);
        }
        catch (StripeException e)
        {
            throw new WebhookRejectedException($"The Stripe-Signature header does not verify: {e.Message}", e);
        }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or ArgumentException or FormatException)
        {
            throw new WebhookRejectedException("The body is not a Stripe event.", e);
        }
    }
}
