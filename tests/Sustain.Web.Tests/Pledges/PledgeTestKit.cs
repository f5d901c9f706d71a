using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Sustain.Core.Tests.Corpus;
using Sustain.Data.Allocations;
using Sustain.Data.Pledges;
using Sustain.Testing.Fakes.Stripe;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Pledges;

/// <summary>Builds what pledge tests need straight in the database (snapshots, pledges) and posts signed webhooks.</summary>
public static class PledgeTestKit
{
    public const string WebhookPath = "/api/webhooks/stripe";

    public static string? StripeFixtures => CorpusFiles.Available ? CorpusFiles.PathOf("stripe/stripe-mock-fixtures3.json") : null;

    /// <summary>An app whose Stripe gateway talks to <paramref name="stripe"/>.</summary>
    public static SustainAppFactory AppFor(FakeStripe stripe)
    {
        var app = new SustainAppFactory();
        foreach (var (key, value) in stripe.SustainSettings)
            app.Settings[key] = value;
        return app;
    }

    public static async Task<AllocationSnapshot> CreateSnapshotAsync(SustainAppFactory app, Guid organisationId, string currency, params (string Project, long Amount)[] shares)
    {
        var snapshot = new AllocationSnapshot
        {
            OrganisationId = organisationId,
            Currency = currency,
            BudgetMinor = shares.Sum(s => s.Amount),
            AllocatedMinor = shares.Sum(s => s.Amount),
            Label = "FY2027 budget",
            PolicyJson = "{}",
            Shares = shares.Select(s => new AllocationSnapshotShare { ProjectKey = s.Project, AmountMinor = s.Amount, Status = "Allocated", Reliance = 1, ReasonsJson = "[]" }).ToList(),
        };
        await app.QueryAsync(async db =>
        {
            db.AllocationSnapshots.Add(snapshot);
            return await db.SaveChangesAsync();
        });
        return snapshot;
    }

    public static async Task<Pledge> CreatePledgeAsync(SustainAppFactory app, AllocationSnapshot snapshot, PledgeFrequency frequency, long? amount = null, string gateway = "stripe")
    {
        var pledge = new Pledge
        {
            OrganisationId = snapshot.OrganisationId,
            SnapshotId = snapshot.Id,
            Frequency = frequency,
            AmountMinor = amount ?? snapshot.AllocatedMinor,
            Currency = snapshot.Currency,
            Gateway = gateway,
        };
        await app.QueryAsync(async db =>
        {
            db.Pledges.Add(pledge);
            return await db.SaveChangesAsync();
        });
        return pledge;
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string json, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookPath) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (signature is not null)
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await client.SendAsync(request);
    }

    /// <summary>Posts <paramref name="json"/> signed with the fake's secret; the response body, after asserting 200.</summary>
    public static async Task<string> DeliverAsync(HttpClient client, FakeStripe stripe, string json)
    {
        using var response = await PostAsync(client, json, stripe.Sign(json));
        await response.AssertStatusAsync(System.Net.HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Every project escrow balance, per project, from the ledger lines.</summary>
    public static Task<Dictionary<string, long>> EscrowAsync(SustainAppFactory app) => app.QueryAsync(db =>
        db.LedgerLines.Where(l => l.ProjectKey != null).GroupBy(l => l.Account).Select(g => new { g.Key, Sum = g.Sum(l => l.AmountMinor) })
            .ToDictionaryAsync(g => g.Key, g => g.Sum));

    public static Task<Dictionary<string, long>> BalancesAsync(SustainAppFactory app) => app.QueryAsync(db =>
        db.LedgerLines.GroupBy(l => l.Account + " " + l.Currency).Select(g => new { g.Key, Sum = g.Sum(l => l.AmountMinor) })
            .ToDictionaryAsync(g => g.Key, g => g.Sum));
}
