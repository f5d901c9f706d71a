using System.Globalization;
using Stripe;
using Sustain.Core;

namespace Sustain.Web.Payments;

/// <summary>
/// Payments without Stripe, for trying Sustain offline: its checkout is a page of the app, and paying
/// there produces the same Stripe events a real checkout would, processed by the same code. Its
/// payment intent ids carry the amount (<c>pi_sim_{minor}_{currency}_{random}</c>), so the settlement
/// can be answered after a restart without storing anything; the fee is Stripe's card price, 2.9% + 30¢.
/// </summary>
public sealed class SimulatedGateway(StripeWebhookVerifier verifier) : IPaymentGateway
{
    public const string GatewayName = "simulated";

    private const string IntentPrefix = "pi_sim_";

    public string Name => GatewayName;

    public bool IsSimulated => true;

    public Task<CheckoutSession> CreateCheckoutAsync(CheckoutRequest request, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = $"cs_sim_{Guid.NewGuid():N}";
        // The success URL is /app/{org}/pledges/{id}/success; the simulated checkout sits beside it.
        var checkout = new Uri(request.SuccessUrl, "checkout?session=" + id);
        return Task.FromResult(new CheckoutSession(id, checkout));
    }

    public Task<PaymentSettlement> GetSettlementAsync(string paymentIntentId, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(paymentIntentId);
        var parts = paymentIntentId.StartsWith(IntentPrefix, StringComparison.Ordinal) ? paymentIntentId[IntentPrefix.Length..].Split('_') : [];
        if (parts.Length != 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var minor) || !Currency.TryFind(parts[1].ToUpperInvariant(), out var currency))
            throw new GatewayUnavailableException($"'{paymentIntentId}' is not a simulated payment intent; a Stripe payment needs Stripe:SecretKey.");
        var amount = new Money(minor, currency);
        return Task.FromResult(new PaymentSettlement($"ch_sim_{parts[2]}", $"txn_sim_{parts[2]}", amount, FeeFor(amount)));
    }

    public Event ParseWebhook(string json, string? signatureHeader) => verifier.Verify(json, signatureHeader);

    public static string NewPaymentIntentId(Money amount) =>
        $"{IntentPrefix}{amount.Minor.ToString(CultureInfo.InvariantCulture)}_{amount.Currency.Code.ToLowerInvariant()}_{Guid.NewGuid():N}";

    /// <summary>2.9% of the amount, rounded half up, plus 30 cents' worth in the currency's minor units (30 yen in JPY), never more than the amount.</summary>
    public static Money FeeFor(Money amount)
    {
        var fixedPart = amount.Currency.Exponent >= 2 ? 30 * amount.Currency.MinorPerMajor / 100 : 30;
        var fee = (long)(((Int128)amount.Minor * 29 + 500) / 1000) + fixedPart;
        return new Money(Math.Min(fee, amount.Minor), amount.Currency);
    }
}
