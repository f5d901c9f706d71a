using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Core;
using Sustain.Core.Ledger;
using Sustain.Data.Allocations;
using Sustain.Data.Pledges;
using Sustain.Testing.Fakes.Stripe;
using Sustain.Web.Pledges;
using Sustain.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sustain.Web.Tests.Pledges;

/// <summary>
/// Invariants 3 and 4 under load: 10,000 webhook deliveries (30% duplicates, 5% bad signatures) in
/// shuffled order, 16 at a time, through HTTP into the app on SQLite. Afterwards the ledger must hold
/// exactly what the accepted events imply, to the minor unit, and balance.
/// </summary>
public sealed class WebhookStormTests(ITestOutputHelper output)
{
    private const int Deliveries = 10_000;
    private const int Unique = 6_500;
    private const int Duplicates = 3_000;
    private const int BadSignatures = 500;
    private const int Concurrency = 16;

    [Fact]
    public async Task Ten_thousand_shuffled_concurrent_deliveries_leave_the_ledger_exactly_as_the_accepted_events_imply()
    {
        await using var stripe = await FakeStripe.StartAsync(PledgeTestKit.StripeFixtures);
        await using var app = PledgeTestKit.AppFor(stripe);
        var owner = await app.CreateUserAsync();
        var acme = await app.CreateOrganisationAsync(owner.Id, "Acme");
        var globex = await app.CreateOrganisationAsync(owner.Id, "Globex");
        Snapshot[] snapshots =
        [
            await SnapshotAsync(app, acme.Id, "USD", ("github.com/a/one", 333_333), ("github.com/a/two", 250_001), ("github.com/a/three", 99_999), ("github.com/a/four", 7), ("github.com/shared/core", 123_457), ("github.com/a/six", 1), ("github.com/a/seven", 54_321)),
            await SnapshotAsync(app, acme.Id, "EUR", ("github.com/shared/core", 1), ("github.com/e/two", 1), ("github.com/e/three", 1)),
            await SnapshotAsync(app, globex.Id, "USD", ("github.com/shared/core", 5_000), ("github.com/g/two", 3_000), ("github.com/g/three", 2_000), ("github.com/g/four", 1)),
            await SnapshotAsync(app, globex.Id, "JPY", ("github.com/j/one", 7), ("github.com/shared/core", 11), ("github.com/j/three", 13), ("github.com/j/four", 17)),
        ];

        var random = new Random(20_261_126);
        var scenario = await ScenarioAsync(app, stripe, snapshots, random);
        var accepted = scenario.OrderBy(_ => random.Next()).Take(Unique).ToList();
        var deliveries = accepted.Select(e => new Delivery(e, Bad: false))
            .Concat(Enumerable.Range(0, Duplicates).Select(_ => new Delivery(accepted[random.Next(accepted.Count)], Bad: false)))
            .Concat(Enumerable.Range(0, BadSignatures).Select(i => new Delivery(accepted[random.Next(accepted.Count)], Bad: true, Tampering: i % 3)))
            .OrderBy(_ => random.Next())
            .ToList();
        Assert.Equal(Deliveries, deliveries.Count);

        var statuses = new ConcurrentBag<(Delivery Delivery, HttpStatusCode Status, string Body)>();
        var redelivered = 0;
        using var client = app.CreateClient();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (delivery, cancellation) =>
        {
            var (json, signature) = delivery.Bad ? Tamper(stripe, delivery.Event.Json, delivery.Tampering) : (delivery.Event.Json, stripe.Sign(delivery.Event.Json));
            // A 503 ("ledger busy") asks Stripe to deliver again, which Stripe does; so does this sender, a few times.
            for (var attempt = 1; ; attempt++)
            {
                using var response = await PledgeTestKit.PostAsync(client, json, signature);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 5)
                {
                    Interlocked.Increment(ref redelivered);
                    await Task.Delay(100 * attempt, cancellation);
                    continue;
                }

                statuses.Add((delivery, response.StatusCode, response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync(cancellation)));
                break;
            }
        });
        clock.Stop();
        output.WriteLine($"{Deliveries:N0} deliveries ({accepted.Count:N0} unique events) in {clock.Elapsed.TotalSeconds:N1} s: {Deliveries / clock.Elapsed.TotalSeconds:N0} a second, {redelivered} delivered again after a 503");

        var wrong = statuses.Where(s => s.Status != (s.Delivery.Bad ? HttpStatusCode.BadRequest : HttpStatusCode.OK)).Take(5).ToList();
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong.Select(w => $"{w.Delivery.Event.Type} (bad: {w.Delivery.Bad}) got {(int)w.Status}: {w.Body}")));
        Assert.Equal(BadSignatures, statuses.Count(s => s.Status == HttpStatusCode.BadRequest));
        Assert.Equal(accepted.Count, await app.QueryAsync(db => db.ProcessedEvents.CountAsync()));

        var expected = Expected(accepted);
        var actual = (await PledgeTestKit.BalancesAsync(app)).Where(b => b.Value != 0).ToDictionary();
        var differences = expected.Keys.Union(actual.Keys).Where(k => expected.GetValueOrDefault(k) != actual.GetValueOrDefault(k))
            .Select(k => $"{k}: expected {expected.GetValueOrDefault(k)}, ledger {actual.GetValueOrDefault(k)}").ToList();
        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences.Take(20)));
        output.WriteLine($"{expected.Count} account balances match; payments {accepted.Count(e => e.Payment is not null)}, refunds {accepted.Count(e => e.Refunded is not null)}, dispute events {accepted.Count(e => e.Dispute is not null)}");

        await using var scope = app.Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<LedgerCheck>().RunAsync();
        Assert.True(report.Consistent, string.Join(Environment.NewLine, report.Problems.Take(20)));
        foreach (var currency in actual.GroupBy(b => b.Key.Split(' ')[1]))
            Assert.Equal(0, currency.Sum(b => b.Value));
    }

    /// <summary>What the accepted events imply: for each payment whose own event was accepted, its split at what its accepted refunds and disputes leave kept.</summary>
    private static Dictionary<string, long> Expected(List<StormEvent> accepted)
    {
        var balances = new Dictionary<string, long>();
        foreach (var payment in accepted.Where(e => e.Payment is not null).Select(e => e.Payment!))
        {
            var refunded = accepted.Where(e => e.Refunded is { } r && r.PaymentIntentId == payment.Stripe.PaymentIntentId).Select(e => e.Refunded!.Amount).DefaultIfEmpty(0).Max();
            var withdrawn = accepted.Where(e => e.Dispute is { } d && d.PaymentIntentId == payment.Stripe.PaymentIntentId)
                .GroupBy(e => e.Dispute!.Id)
                .Sum(g => g.Any(e => e.Dispute!.Closed) ? (g.First(e => e.Dispute!.Closed).Dispute!.Won ? 0 : g.First().Dispute!.Amount) : g.First().Dispute!.Amount);
            var gross = payment.Stripe.Amount;
            var kept = Math.Max(0, gross - Math.Min(gross, refunded) - withdrawn);
            var currency = Currency.Find(payment.Snapshot.Currency);
            var split = PaymentSplit.Create(payment.Snapshot.OrganisationId, new Money(gross, currency), new Money(payment.Stripe.Fee, currency), payment.Snapshot.Weights);
            foreach (var entry in split.PositionAt(kept))
            {
                var key = entry.Account + " " + currency.Code;
                balances[key] = balances.GetValueOrDefault(key) + entry.Amount.Minor;
            }
        }

        return balances.Where(b => b.Value != 0).ToDictionary();
    }

    private static async Task<List<StormEvent>> ScenarioAsync(SustainAppFactory app, FakeStripe stripe, Snapshot[] snapshots, Random random)
    {
        var pledges = new List<(Pledge Pledge, Snapshot Snapshot)>();
        for (var i = 0; i < 2_400; i++)
        {
            var snapshot = snapshots[random.Next(snapshots.Length)];
            var frequency = i % 4 == 0 ? PledgeFrequency.Monthly : PledgeFrequency.OneOff;
            pledges.Add((new Pledge
            {
                OrganisationId = snapshot.OrganisationId,
                SnapshotId = snapshot.Id,
                Frequency = frequency,
                AmountMinor = random.NextInt64(100, 2_000_000),
                Currency = snapshot.Currency,
                Gateway = "stripe",
            }, snapshot));
        }

        await app.QueryAsync(async db =>
        {
            db.Pledges.AddRange(pledges.Select(p => p.Pledge));
            return await db.SaveChangesAsync();
        });

        var events = new List<StormEvent>();
        var start = DateTimeOffset.UtcNow.AddDays(-200);
        foreach (var (pledge, snapshot) in pledges)
        {
            var id = pledge.Id.ToString();
            var currency = snapshot.Currency.ToLowerInvariant();
            var payments = new List<FakeStripePayment>();
            if (pledge.Frequency == PledgeFrequency.OneOff)
            {
                var payment = stripe.AddPayment(pledge.AmountMinor, currency);
                payments.Add(payment);
                events.Add(new StormEvent("checkout.session.completed", stripe.Event("checkout.session.completed", stripe.CheckoutSessionObject(id, "payment", pledge.AmountMinor, currency, payment)), new PaymentFact(payment, snapshot)));
                if (random.Next(100) < 3)
                    events.Add(new StormEvent("checkout.session.completed (live)", stripe.Event("checkout.session.completed", stripe.CheckoutSessionObject(id, "payment", pledge.AmountMinor, currency, payment), liveMode: true)));
            }
            else
            {
                var subscription = $"sub_storm_{pledge.Id:N}";
                events.Add(new StormEvent("checkout.session.completed (subscription)", stripe.Event("checkout.session.completed", stripe.CheckoutSessionObject(id, "subscription", pledge.AmountMinor, currency, subscriptionId: subscription), created: start)));
                for (var month = 0; month < 3; month++)
                {
                    var payment = stripe.AddPayment(pledge.AmountMinor, currency);
                    payments.Add(payment);
                    events.Add(new StormEvent("invoice.paid", stripe.Event("invoice.paid", stripe.InvoiceObject(id, subscription, payment), created: start.AddDays(30 * month + 1)), new PaymentFact(payment, snapshot)));
                }

                var failed = stripe.AddPayment(pledge.AmountMinor, currency);
                events.Add(new StormEvent("invoice.payment_failed", stripe.Event("invoice.payment_failed", stripe.InvoiceObject(id, subscription, failed, paid: false), created: start.AddDays(95))));
                if (random.Next(100) < 30)
                    events.Add(new StormEvent("customer.subscription.deleted", stripe.Event("customer.subscription.deleted", stripe.SubscriptionObject(id, subscription), created: start.AddDays(100))));
            }

            foreach (var payment in payments)
            {
                if (random.Next(100) < 25)
                {
                    var first = random.NextInt64(1, payment.Amount + 1);
                    events.Add(new StormEvent("charge.refunded", stripe.Event("charge.refunded", stripe.ChargeObject(payment, first)), Refunded: new RefundFact(payment.PaymentIntentId, first)));
                    if (random.Next(2) == 0)
                    {
                        var second = random.NextInt64(first, payment.Amount + 1);
                        events.Add(new StormEvent("charge.refunded", stripe.Event("charge.refunded", stripe.ChargeObject(payment, second)), Refunded: new RefundFact(payment.PaymentIntentId, second)));
                    }
                }

                if (random.Next(100) < 10)
                {
                    var dispute = $"dp_storm_{Guid.NewGuid():N}";
                    var amount = random.NextInt64(1, payment.Amount + 1);
                    events.Add(new StormEvent("charge.dispute.created", stripe.Event("charge.dispute.created", stripe.DisputeObject(payment, dispute, amount, "needs_response")), Dispute: new DisputeFact(dispute, payment.PaymentIntentId, amount, false, false)));
                    if (random.Next(100) < 60)
                    {
                        var won = random.Next(2) == 0;
                        events.Add(new StormEvent("charge.dispute.closed", stripe.Event("charge.dispute.closed", stripe.DisputeObject(payment, dispute, amount, won ? "won" : "lost")), Dispute: new DisputeFact(dispute, payment.PaymentIntentId, amount, true, won)));
                    }
                }
            }
        }

        return events;
    }

    private static (string Json, string Signature) Tamper(FakeStripe stripe, string json, int how) => how switch
    {
        0 => (json, stripe.Sign(json, secret: "whsec_not_ours")),
        1 => (json.Replace("\"livemode\":false", "\"livemode\":true ", StringComparison.Ordinal), stripe.Sign(json)),
        _ => (json, stripe.Sign(json, at: DateTimeOffset.UtcNow.AddHours(-1))),
    };

    private static async Task<Snapshot> SnapshotAsync(SustainAppFactory app, Guid organisationId, string currency, params (string Project, long Amount)[] shares)
    {
        AllocationSnapshot snapshot = await PledgeTestKit.CreateSnapshotAsync(app, organisationId, currency, shares);
        return new Snapshot(snapshot.Id, organisationId, currency, shares.OrderBy(s => s.Project, StringComparer.Ordinal).Select(s => new ProjectWeight(s.Project, s.Amount)).ToArray());
    }

    private sealed record Snapshot(Guid Id, Guid OrganisationId, string Currency, ProjectWeight[] Weights);

    private sealed record PaymentFact(FakeStripePayment Stripe, Snapshot Snapshot);

    private sealed record RefundFact(string PaymentIntentId, long Amount);

    private sealed record DisputeFact(string Id, string PaymentIntentId, long Amount, bool Closed, bool Won);

    private sealed record StormEvent(string Type, string Json, PaymentFact? Payment = null, RefundFact? Refunded = null, DisputeFact? Dispute = null);

    private sealed record Delivery(StormEvent Event, bool Bad, int Tampering = 0);
}
