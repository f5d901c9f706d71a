using Sustain.Core;

namespace Sustain.Web.Payments;

public enum CheckoutMode
{
    Payment,
    Subscription,
}

public enum BillingInterval
{
    Month,
    Year,
}

/// <summary>What to charge for: one payment, or a subscription billed every <see cref="Interval"/>.</summary>
public sealed record CheckoutRequest(
    Guid PledgeId,
    Guid OrganisationId,
    CheckoutMode Mode,
    BillingInterval? Interval,
    Money Amount,
    string Description,
    Uri SuccessUrl,
    Uri CancelUrl);

/// <summary>A checkout the payer is sent to.</summary>
public sealed record CheckoutSession(string Id, Uri Url);

/// <summary>A payment as it settled: what was charged, and Stripe's fee from its balance transaction.</summary>
public sealed record PaymentSettlement(string ChargeId, string BalanceTransactionId, Money Amount, Money Fee);

/// <summary>Why a webhook was refused: a missing or wrong signature, a stale timestamp, or a body that is not an event.</summary>
public sealed class WebhookRejectedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A gateway could not answer now (network, Stripe down); the caller may try again.</summary>
public sealed class GatewayUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The payment provider: Stripe, or a simulation of it when no Stripe key is set. Both speak Stripe's
/// shapes, so the webhook processing and the ledger are one code path.
/// </summary>
public interface IPaymentGateway
{
    /// <summary><c>stripe</c> or <c>simulated</c>, as stored on a pledge.</summary>
    string Name { get; }

    bool IsSimulated { get; }

    Task<CheckoutSession> CreateCheckoutAsync(CheckoutRequest request, CancellationToken cancellation);

    /// <summary>The charge behind a payment intent, with the fee from its balance transaction.</summary>
    /// <exception cref="GatewayUnavailableException">when the provider cannot say now.</exception>
    Task<PaymentSettlement> GetSettlementAsync(string paymentIntentId, CancellationToken cancellation);

    /// <summary>Verifies a webhook's <c>Stripe-Signature</c> and reads the event.</summary>
    /// <exception cref="WebhookRejectedException">when it is not a genuine, fresh event.</exception>
    Stripe.Event ParseWebhook(string json, string? signatureHeader);
}
