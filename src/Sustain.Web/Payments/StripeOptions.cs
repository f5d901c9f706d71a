using System.ComponentModel.DataAnnotations;

namespace Sustain.Web.Payments;

/// <summary>The <c>Stripe</c> settings. With no <see cref="SecretKey"/> the app uses the simulated gateway.</summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";

    /// <summary>The API secret key (<c>sk_test_…</c> or <c>sk_live_…</c>); empty for simulated payments.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The webhook endpoint's signing secret (<c>whsec_…</c>); without it no webhook is accepted.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Where the Stripe API is; tests point it at a fake on 127.0.0.1.</summary>
    public Uri? ApiBaseAddress { get; set; }

    /// <summary>How old a webhook's signed timestamp may be, in seconds, before it is refused as a replay.</summary>
    [Range(1, 86_400)]
    public int WebhookToleranceSeconds { get; set; } = 300;

    /// <summary>
    /// Which of Stripe's modes this instance takes events from: live (true) or test (false). Events
    /// of the other mode are acknowledged, recorded as ignored, and change nothing.
    /// </summary>
    public bool LiveMode { get; set; }

    public bool UsesStripe => !string.IsNullOrWhiteSpace(SecretKey);
}
