using Microsoft.Extensions.DependencyInjection;
using Sustain.Core;
using Sustain.Testing.Fakes.Stripe;
using Sustain.Web.Payments;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Pledges;

/// <summary>The real gateway, through Stripe.net, against the fake Stripe on a loopback port.</summary>
public sealed class StripeGatewayTests : IAsyncLifetime
{
    private FakeStripe _stripe = default!;
    private SustainAppFactory _app = default!;

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripe.StartAsync(PledgeTestKit.StripeFixtures);
        _app = PledgeTestKit.AppFor(_stripe);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    [Fact]
    public async Task The_app_uses_the_stripe_gateway_when_a_key_is_set()
    {
        Assert.IsType<StripeGateway>(_app.Services.GetRequiredService<IPaymentGateway>());
        await using var simulated = new SustainAppFactory();
        Assert.IsType<SimulatedGateway>(simulated.Services.GetRequiredService<IPaymentGateway>());
    }

    [Fact]
    public void The_fake_answers_with_stripe_mocks_shapes_when_the_corpus_is_there()
    {
        Assert.Equal(Sustain.Core.Tests.Corpus.CorpusFiles.Available, _stripe.Shapes.FromFixtures);
        Assert.Equal("checkout.session", _stripe.Shapes.New("checkout.session")["object"]!.GetValue<string>());
    }

    [Fact]
    public async Task Creates_a_payment_checkout_that_names_its_pledge()
    {
        var gateway = _app.Services.GetRequiredService<IPaymentGateway>();
        var pledge = Guid.NewGuid();

        var session = await gateway.CreateCheckoutAsync(Request(pledge, CheckoutMode.Payment, null, new Money(250_000, Currency.EUR)), CancellationToken.None);

        Assert.StartsWith("cs_test_", session.Id, StringComparison.Ordinal);
        Assert.StartsWith(_stripe.Address.ToString(), session.Url.ToString(), StringComparison.Ordinal);
        var created = Assert.Single(_stripe.Sessions);
        Assert.Equal(("payment", 250_000L, "eur", pledge.ToString()), (created.Mode, created.Amount, created.Currency, created.PledgeId));
        var form = Uri.UnescapeDataString(_stripe.Requests.Single(r => r.Path == "/v1/checkout/sessions").Body);
        Assert.Contains($"payment_intent_data[metadata][pledge_id]={pledge}", form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creates_a_yearly_subscription_checkout_whose_subscription_carries_the_pledge()
    {
        var gateway = _app.Services.GetRequiredService<IPaymentGateway>();
        var pledge = Guid.NewGuid();

        await gateway.CreateCheckoutAsync(Request(pledge, CheckoutMode.Subscription, BillingInterval.Year, new Money(1_200_000, Currency.JPY)), CancellationToken.None);

        var created = Assert.Single(_stripe.Sessions);
        Assert.Equal(("subscription", "year", 1_200_000L, "jpy"), (created.Mode, created.Interval, created.Amount, created.Currency));
        var form = Uri.UnescapeDataString(_stripe.Requests.Single(r => r.Path == "/v1/checkout/sessions").Body);
        Assert.Contains($"subscription_data[metadata][pledge_id]={pledge}", form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_the_fee_from_the_charges_balance_transaction()
    {
        var gateway = _app.Services.GetRequiredService<IPaymentGateway>();
        var payment = _stripe.AddPayment(4_321, "usd", fee: 155);

        var settlement = await gateway.GetSettlementAsync(payment.PaymentIntentId, CancellationToken.None);

        Assert.Equal(new PaymentSettlement(payment.ChargeId, payment.BalanceTransactionId, new Money(4_321, Currency.USD), new Money(155, Currency.USD)), settlement);
    }

    [Fact]
    public async Task An_unknown_payment_intent_is_reported_as_unavailable_not_as_a_crash()
    {
        var gateway = _app.Services.GetRequiredService<IPaymentGateway>();
        var error = await Assert.ThrowsAsync<GatewayUnavailableException>(() => gateway.GetSettlementAsync("pi_nobody", CancellationToken.None));
        Assert.Contains("No such payment_intent", error.Message, StringComparison.Ordinal);
    }

    private static CheckoutRequest Request(Guid pledge, CheckoutMode mode, BillingInterval? interval, Money amount) =>
        new(pledge, Guid.NewGuid(), mode, interval, amount, "Sustain pledge", new Uri("https://sustain.test/success"), new Uri("https://sustain.test/cancel"));
}
