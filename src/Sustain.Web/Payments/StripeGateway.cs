using System.Globalization;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;
using Sustain.Core;

namespace Sustain.Web.Payments;

/// <summary>Stripe, through Stripe.net: Checkout for paying, payment intents for the settled amount and fee.</summary>
public sealed class StripeGateway(IStripeClient client, StripeWebhookVerifier verifier) : IPaymentGateway
{
    public const string GatewayName = "stripe";

    public string Name => GatewayName;

    public bool IsSimulated => false;

    /// <summary>A client for <paramref name="options"/>: every base (API, Connect, files) at <c>Stripe:ApiBaseAddress</c> when it is set.</summary>
    public static StripeClient CreateClient(StripeOptions options, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new StripeClientOptions
        {
            ApiKey = options.SecretKey,
            HttpClient = new SystemNetHttpClient(http, maxNetworkRetries: 2),
        };
        if (options.ApiBaseAddress is { } address)
        {
            var bases = address.ToString().TrimEnd('/');
            clientOptions.ApiBase = bases;
            clientOptions.ConnectBase = bases;
            clientOptions.FilesBase = bases;
        }

        return new StripeClient(clientOptions);
    }

    public async Task<CheckoutSession> CreateCheckoutAsync(CheckoutRequest request, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        var metadata = Metadata(request);
        var recurring = request.Mode == CheckoutMode.Subscription;
        var options = new SessionCreateOptions
        {
            Mode = recurring ? "subscription" : "payment",
            ClientReferenceId = request.PledgeId.ToString(),
            Metadata = metadata,
            SuccessUrl = request.SuccessUrl.ToString(),
            CancelUrl = request.CancelUrl.ToString(),
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = request.Amount.Currency.Code.ToLowerInvariant(),
                        UnitAmount = request.Amount.Minor,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = request.Description },
                        Recurring = recurring
                            ? new SessionLineItemPriceDataRecurringOptions { Interval = request.Interval == BillingInterval.Year ? "year" : "month" }
                            : null,
                    },
                },
            ],
            PaymentIntentData = recurring ? null : new SessionPaymentIntentDataOptions { Metadata = metadata },
            SubscriptionData = recurring ? new SessionSubscriptionDataOptions { Metadata = metadata } : null,
        };
        try
        {
            var session = await new SessionService(client).CreateAsync(options, new RequestOptions { IdempotencyKey = $"checkout-{request.PledgeId}" }, cancellation);
            return new CheckoutSession(session.Id, new Uri(session.Url));
        }
        catch (Exception e) when (e is StripeException or HttpRequestException)
        {
            throw new GatewayUnavailableException($"Stripe did not create the checkout: {e.Message}", e);
        }
    }

    public async Task<PaymentSettlement> GetSettlementAsync(string paymentIntentId, CancellationToken cancellation)
    {
        PaymentIntent intent;
        try
        {
            intent = await new PaymentIntentService(client).GetAsync(paymentIntentId, new PaymentIntentGetOptions { Expand = ["latest_charge.balance_transaction"] }, cancellationToken: cancellation);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException)
        {
            throw new GatewayUnavailableException($"Stripe did not answer for payment intent {paymentIntentId}: {e.Message}", e);
        }

        var charge = intent.LatestCharge ?? throw new GatewayUnavailableException($"Payment intent {paymentIntentId} has no charge yet.");
        var balance = charge.BalanceTransaction ?? throw new GatewayUnavailableException($"Charge {charge.Id} has no balance transaction yet.");
        var currency = FromStripe(balance.Currency);
        return new PaymentSettlement(charge.Id, balance.Id, new Money(balance.Amount, currency), new Money(balance.Fee, currency));
    }

    public Event ParseWebhook(string json, string? signatureHeader) => verifier.Verify(json, signatureHeader);

    /// <summary>Stripe writes currency codes in lower case.</summary>
    public static Currency FromStripe(string? code) =>
        Currency.TryFind(code?.ToUpperInvariant(), out var currency) ? currency : throw new FormatException($"'{code}' is not a currency Sustain knows");

    internal static Dictionary<string, string> Metadata(CheckoutRequest request) => new()
    {
        [PledgeMetadata.PledgeId] = request.PledgeId.ToString(),
        [PledgeMetadata.OrganisationId] = request.OrganisationId.ToString(),
    };
}

/// <summary>The metadata keys a checkout carries, so every later event can name its pledge.</summary>
public static class PledgeMetadata
{
    public const string PledgeId = "pledge_id";
    public const string OrganisationId = "organisation_id";

    public static Guid? PledgeOf(IDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(PledgeId, out var value) && Guid.TryParse(value, CultureInfo.InvariantCulture, out var id) ? id : null;
}
