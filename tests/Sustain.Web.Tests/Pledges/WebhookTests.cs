using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Core.Tests.Corpus;
using Sustain.Core.Ledger;
using Sustain.Data.Pledges;
using Sustain.Testing.Fakes.Stripe;
using Sustain.Web.Pledges;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Pledges;

public sealed class WebhookTests : IAsyncLifetime
{
    private FakeStripe _stripe = default!;
    private SustainAppFactory _app = default!;
    private HttpClient _client = default!;
    private Guid _organisationId;

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripe.StartAsync(PledgeTestKit.StripeFixtures);
        _app = PledgeTestKit.AppFor(_stripe);
        _client = _app.CreateClient();
        var owner = await _app.CreateUserAsync();
        _organisationId = (await _app.CreateOrganisationAsync(owner.Id, "Acme")).Id;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    [Fact]
    public async Task A_bad_signature_is_refused_with_a_problem_that_says_why()
    {
        var json = _stripe.Event("customer.updated", new() { ["object"] = "customer", ["id"] = "cus_1" });

        using var wrongSecret = await PledgeTestKit.PostAsync(_client, json, _stripe.Sign(json, secret: "whsec_someone_else"));
        using var tampered = await PledgeTestKit.PostAsync(_client, json.Replace("cus_1", "cus_2", StringComparison.Ordinal), _stripe.Sign(json));
        using var stale = await PledgeTestKit.PostAsync(_client, json, _stripe.Sign(json, at: DateTimeOffset.UtcNow.AddMinutes(-6)));
        using var missing = await PledgeTestKit.PostAsync(_client, json, signature: null);

        foreach (var response in new[] { wrongSecret, tampered, stale, missing })
        {
            await response.AssertStatusAsync(HttpStatusCode.BadRequest);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("Webhook signature not accepted", problem.RootElement.GetProperty("title").GetString());
        }

        using var missingProblem = JsonDocument.Parse(await missing.Content.ReadAsStringAsync());
        Assert.Contains("no Stripe-Signature header", missingProblem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await _app.QueryAsync(db => db.ProcessedEvents.CountAsync()));
    }

    [Fact]
    public async Task A_payment_is_spread_over_the_snapshot_with_the_fee_from_its_balance_transaction()
    {
        var snapshot = await PledgeTestKit.CreateSnapshotAsync(_app, _organisationId, "USD", ("github.com/a/a", 600_000), ("github.com/b/b", 300_000), ("github.com/c/c", 100_000));
        var pledge = await PledgeTestKit.CreatePledgeAsync(_app, snapshot, PledgeFrequency.OneOff);
        var payment = _stripe.AddPayment(1_000_000, "usd");

        var body = await PledgeTestKit.DeliverAsync(_client, _stripe, _stripe.Event("checkout.session.completed", _stripe.CheckoutSessionObject(pledge.Id.ToString(), "payment", 1_000_000, "usd", payment)));

        Assert.Contains("\"outcome\":\"applied\"", body, StringComparison.Ordinal);
        Assert.Equal(29_030, payment.Fee);
        var escrow = await PledgeTestKit.EscrowAsync(_app);
        // The net, 970,970, over 6:3:1.
        Assert.Equal(582_582, escrow[LedgerAccounts.ProjectEscrow("github.com/a/a")]);
        Assert.Equal(291_291, escrow[LedgerAccounts.ProjectEscrow("github.com/b/b")]);
        Assert.Equal(97_097, escrow[LedgerAccounts.ProjectEscrow("github.com/c/c")]);
        var stored = await _app.QueryAsync(db => db.Pledges.SingleAsync(p => p.Id == pledge.Id));
        Assert.Equal(PledgeStatus.Paid, stored.Status);
        Assert.Contains(_stripe.Requests, r => r.Path == $"/v1/payment_intents/{payment.PaymentIntentId}" && Uri.UnescapeDataString(r.Query).Contains("latest_charge.balance_transaction", StringComparison.Ordinal));
        Assert.True((await CheckAsync()).Consistent);
    }

    [Fact]
    public async Task A_redelivered_event_changes_nothing()
    {
        var snapshot = await PledgeTestKit.CreateSnapshotAsync(_app, _organisationId, "EUR", ("github.com/a/a", 1), ("github.com/b/b", 2));
        var pledge = await PledgeTestKit.CreatePledgeAsync(_app, snapshot, PledgeFrequency.OneOff, 10_000);
        var payment = _stripe.AddPayment(10_000, "eur");
        var json = _stripe.Event("checkout.session.completed", _stripe.CheckoutSessionObject(pledge.Id.ToString(), "payment", 10_000, "eur", payment));

        await PledgeTestKit.DeliverAsync(_client, _stripe, json);
        var before = await PledgeTestKit.BalancesAsync(_app);
        var again = await PledgeTestKit.DeliverAsync(_client, _stripe, json);

        Assert.Contains("\"outcome\":\"duplicate\"", again, StringComparison.Ordinal);
        Assert.Equal(before, await PledgeTestKit.BalancesAsync(_app));
        Assert.Equal(1, await _app.QueryAsync(db => db.LedgerPostings.CountAsync()));
    }

    [Fact]
    public async Task A_refund_that_arrives_before_its_payment_waits_and_is_applied_when_the_payment_comes()
    {
        var snapshot = await PledgeTestKit.CreateSnapshotAsync(_app, _organisationId, "USD", ("github.com/a/a", 1), ("github.com/b/b", 1));
        var pledge = await PledgeTestKit.CreatePledgeAsync(_app, snapshot, PledgeFrequency.OneOff, 20_000);
        var payment = _stripe.AddPayment(20_000, "usd");

        var refund = await PledgeTestKit.DeliverAsync(_client, _stripe, _stripe.Event("charge.refunded", _stripe.ChargeObject(payment, amountRefunded: 5_000)));
        Assert.Contains("waiting", refund, StringComparison.Ordinal);
        Assert.Empty(await PledgeTestKit.EscrowAsync(_app));

        await PledgeTestKit.DeliverAsync(_client, _stripe, _stripe.Event("checkout.session.completed", _stripe.CheckoutSessionObject(pledge.Id.ToString(), "payment", 20_000, "usd", payment)));

        var kept = await _app.QueryAsync(db => db.PledgePayments.SingleAsync(p => p.PaymentIntentId == payment.PaymentIntentId));
        Assert.Equal(15_000, kept.KeptMinor);
        Assert.Equal(-15_000, (await PledgeTestKit.BalancesAsync(_app))[LedgerAccounts.PaymentsClearing(_organisationId) + " USD"]);
        Assert.Equal([LedgerKinds.Payment, LedgerKinds.Refund], await _app.QueryAsync(db => db.LedgerPostings.OrderBy(p => p.Id).Select(p => p.Kind).ToListAsync()));
        Assert.True((await CheckAsync()).Consistent);
    }

    [Fact]
    public async Task Refunds_reported_out_of_order_keep_the_largest_running_total()
    {
        var snapshot = await PledgeTestKit.CreateSnapshotAsync(_app, _organisationId, "USD", ("github.com/a/a", 1));
        var pledge = await PledgeTestKit.CreatePledgeAsync(_app, snapshot, PledgeFrequency.OneOff, 9_000);
        var payment = _stripe.AddPayment(9_000, "usd");
        await PledgeTestKit.DeliverAsync(_client, _stripe, _stripe.Event("checkout.session.completed", _stripe.CheckoutSessionObject(pledge.Id.ToString(), "payment", 9_000, "usd", payment)));

        await PledgeTestKit.DeliverAsync(_client, _stripe, _stripe.Event("charge.refunded", _stripe.ChargeObject(payment, amountRefunded: 9_000)));
        await PledgeTestKit.DeliverAsync(_client, _stripe, _stripe.Event("charge.refunded", _stripe.ChargeObject(payment, amountRefunded: 3_000)));

        Assert.Equal(0, (await PledgeTestKit.EscrowAsync(_app))[LedgerAccounts.ProjectEscrow("github.com/a/a")]);
        Assert.Equal(PledgeStatus.Refunded, await _app.QueryAsync(db => db.Pledges.Where(p => p.Id == pledge.Id).Select(p => p.Status).SingleAsync()));
    }

    [Fact]
    public async Task A_dispute_withdraws_pro_rata_and_a_won_dispute_puts_it_back_even_when_closed_arrives_first()
    {
        var snapshot = await PledgeTestKit.CreateSnapshotAsync(_app, _organisationId, "JPY", ("github.com/a/a", 2), ("github.com/b/b", 1));
        var pledge = await PledgeTestKit.CreatePledgeAsync(_app, snapshot, PledgeFrequency.OneOff, 30_000);
        var payment = _stripe.AddPayment(30_000, "jpy");
        await PledgeTestKit.DeliverAsync(_client, _stripe, _stripe.Event("checkout.session.completed", _stripe.CheckoutSessionObject(pledge.Id.ToString(), "payment", 30_000, "jpy", payment)));
        var paid = await PledgeTestKit.EscrowAsync(_app);

        await PledgeTestKit.DeliverAsync(_client, _stripe, _stripe.Event("charge.dispute.created", _stripe.DisputeObject(payment, "dp_1", 30_000, "needs_response")));
        Assert.All((await PledgeTestKit.EscrowAsync(_app)).Values, v => Assert.Equal(0, v));

        await PledgeTestKit.DeliverAsync(_client, _stripe, _stripe.Event("charge.dispute.closed", _stripe.DisputeObject(payment, "dp_2", 10_000, "won")));
        await PledgeTestKit.DeliverAsync(_client, _stripe, _stripe.Event("charge.dispute.created", _stripe.DisputeObject(payment, "dp_2", 10_000, "needs_response")));
        await PledgeTestKit.DeliverAsync(_client, _stripe, _stripe.Event("charge.dispute.closed", _stripe.DisputeObject(payment, "dp_1", 30_000, "won")));

        Assert.Equal(paid, await PledgeTestKit.EscrowAsync(_app));
        Assert.True((await CheckAsync()).Consistent);
    }

    [Fact]
    public async Task A_subscription_records_each_paid_invoice_and_ends_cancelled_whatever_the_order()
    {
        var snapshot = await PledgeTestKit.CreateSnapshotAsync(_app, _organisationId, "USD", ("github.com/a/a", 1), ("github.com/b/b", 1));
        var pledge = await PledgeTestKit.CreatePledgeAsync(_app, snapshot, PledgeFrequency.Monthly, 5_000);
        const string subscription = "sub_fake_1";
        var january = _stripe.AddPayment(5_000, "usd");
        var february = _stripe.AddPayment(5_000, "usd");
        var start = DateTimeOffset.UtcNow.AddDays(-60);

        await PledgeTestKit.DeliverAsync(_client, _stripe, _stripe.Event("customer.subscription.deleted", _stripe.SubscriptionObject(pledge.Id.ToString(), subscription), created: start.AddDays(50)));
        await PledgeTestKit.DeliverAsync(_client, _stripe, _stripe.Event("invoice.paid", _stripe.InvoiceObject(pledge.Id.ToString(), subscription, february), created: start.AddDays(31)));
        await PledgeTestKit.DeliverAsync(_client, _stripe, _stripe.Event("invoice.payment_failed", _stripe.InvoiceObject(pledge.Id.ToString(), subscription, january, paid: false), created: start.AddDays(1)));
        await PledgeTestKit.DeliverAsync(_client, _stripe, _stripe.Event("invoice.paid", _stripe.InvoiceObject(pledge.Id.ToString(), subscription, january), created: start.AddDays(2)));
        await PledgeTestKit.DeliverAsync(_client, _stripe, _stripe.Event("checkout.session.completed", _stripe.CheckoutSessionObject(pledge.Id.ToString(), "subscription", 5_000, "usd", subscriptionId: subscription), created: start));

        var stored = await _app.QueryAsync(db => db.Pledges.SingleAsync(p => p.Id == pledge.Id));
        Assert.Equal(PledgeStatus.Cancelled, stored.Status);
        Assert.Equal(subscription, stored.SubscriptionId);
        Assert.Equal(2, await _app.QueryAsync(db => db.PledgePayments.CountAsync(p => p.PledgeId == pledge.Id && p.Recorded)));
        Assert.Equal(-10_000, (await PledgeTestKit.BalancesAsync(_app))[LedgerAccounts.PaymentsClearing(_organisationId) + " USD"]);
    }

    [Fact]
    public async Task A_live_mode_event_on_a_test_mode_instance_is_acknowledged_recorded_and_ignored()
    {
        var snapshot = await PledgeTestKit.CreateSnapshotAsync(_app, _organisationId, "USD", ("github.com/a/a", 1));
        var pledge = await PledgeTestKit.CreatePledgeAsync(_app, snapshot, PledgeFrequency.OneOff, 1_000);
        var payment = _stripe.AddPayment(1_000, "usd");
        var json = _stripe.Event("checkout.session.completed", _stripe.CheckoutSessionObject(pledge.Id.ToString(), "payment", 1_000, "usd", payment), liveMode: true);

        var body = await PledgeTestKit.DeliverAsync(_client, _stripe, json);

        Assert.Contains("\"outcome\":\"ignored\"", body, StringComparison.Ordinal);
        Assert.Contains("live-mode event on a test-mode instance", await _app.QueryAsync(db => db.ProcessedEvents.Select(e => e.Outcome).SingleAsync()), StringComparison.Ordinal);
        Assert.Empty(await PledgeTestKit.BalancesAsync(_app));
    }

    [Fact]
    public async Task An_event_for_a_pledge_of_another_instance_is_ignored()
    {
        var payment = _stripe.AddPayment(1_000, "usd");
        var body = await PledgeTestKit.DeliverAsync(_client, _stripe, _stripe.Event("checkout.session.completed", _stripe.CheckoutSessionObject(Guid.NewGuid().ToString(), "payment", 1_000, "usd", payment)));
        Assert.Contains("names no pledge of this instance", body, StringComparison.Ordinal);
        Assert.Empty(await PledgeTestKit.BalancesAsync(_app));
    }

    /// <summary>The corpus's Stripe events; stripe-mock's fixture file there is a set of shapes the fake serves, not an event.</summary>
    public static TheoryData<string> CorpusEvents
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var file in CorpusFiles.Under("stripe", ".json").Where(f => !f.Contains("fixtures", StringComparison.Ordinal)))
                data.Add(file);
            if (data.Count == 0)
                data.Add(string.Empty);
            return data;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(CorpusEvents))]
    public async Task Real_events_of_other_types_are_verified_and_acknowledged_without_effect(string file)
    {
        Skip.If(file.Length == 0, CorpusFiles.SkipReason);
        var json = await File.ReadAllTextAsync(CorpusFiles.PathOf(file));

        using var response = await PledgeTestKit.PostAsync(_client, json, _stripe.Sign(json));

        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains("\"outcome\":\"ignored\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await PledgeTestKit.BalancesAsync(_app));
    }

    private async Task<LedgerCheckReport> CheckAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<LedgerCheck>().RunAsync();
        Assert.True(report.Consistent, string.Join(Environment.NewLine, report.Problems));
        return report;
    }
}
