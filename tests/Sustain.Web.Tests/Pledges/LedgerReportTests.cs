using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Data.Pledges;
using Sustain.Web.Payments;
using Sustain.Web.Tests.Infrastructure;

namespace Sustain.Web.Tests.Pledges;

/// <summary>Simulated payments end to end on the server side, and what members and operators read from the ledger.</summary>
public sealed class LedgerReportTests
{
    private const string OperatorEmail = "operator@sustain.test";

    [Fact]
    public async Task A_simulated_checkout_pays_through_the_webhook_path_and_the_member_gets_receipt_statement_and_csv()
    {
        await using var app = new SustainAppFactory();
        var (user, browser, _) = await app.SignedInUserAsync();
        var organisation = await app.CreateOrganisationAsync(user.Id, "Initech");
        var snapshot = await PledgeTestKit.CreateSnapshotAsync(app, organisation.Id, "USD", ("github.com/a/a", 2), ("github.com/b/b", 1));
        var pledge = await PledgeTestKit.CreatePledgeAsync(app, snapshot, PledgeFrequency.Monthly, 3_000, SimulatedGateway.GatewayName);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var outcomes = await scope.ServiceProvider.GetRequiredService<SimulatedCheckout>().PayAsync(pledge);
            Assert.Equal([EventOutcomeKind.Applied, EventOutcomeKind.Applied], outcomes.Select(o => o.Kind));
        }

        var payment = await app.QueryAsync(db => db.PledgePayments.SingleAsync(p => p.PledgeId == pledge.Id));
        Assert.Equal((3_000L, 117L), (payment.GrossMinor, payment.FeeMinor));
        Assert.Equal(PledgeStatus.Active, await app.QueryAsync(db => db.Pledges.Where(p => p.Id == pledge.Id).Select(p => p.Status).SingleAsync()));

        var receipt = await browser.GetStringAsync($"/app/{organisation.Slug}/receipts/{payment.Id}");
        Assert.Contains(payment.ReceiptNumber!, receipt, StringComparison.Ordinal);
        Assert.Contains("USD 30.00", receipt, StringComparison.Ordinal);
        Assert.Contains("@media print", receipt, StringComparison.Ordinal);
        // 2,883 net over 2:1 is 1,922 and 961.
        Assert.Contains("USD 19.22", receipt, StringComparison.Ordinal);
        Assert.Contains("USD 9.61", receipt, StringComparison.Ordinal);

        var statement = await browser.GetStringAsync($"/app/{organisation.Slug}/statements/{payment.PaidAt!.Value.Year}");
        Assert.Contains(payment.ReceiptNumber!, statement, StringComparison.Ordinal);

        var csv = (await browser.GetStringAsync($"/app/{organisation.Slug}/ledger.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("posted_at,posting_id,kind,account,currency,amount,amount_minor,receipt,event_id,description", csv[0]);
        Assert.Equal(5, csv.Length);
        Assert.Equal(0, csv.Skip(1).Sum(line => long.Parse(line.Split(',')[6], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains(csv, line => line.Contains("project:github.com/a/a:escrow,USD,19.22,1922", StringComparison.Ordinal));

        using var badYear = await browser.GetAsync($"/app/{organisation.Slug}/ledger.csv?year=12");
        await badYear.AssertStatusAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_operator_runs_the_consistency_check_through_the_api_and_nobody_else_can()
    {
        await using var app = new SustainAppFactory { Settings = { ["Operators:Emails"] = OperatorEmail } };
        var (_, member, _) = await app.SignedInUserAsync();
        var (_, operatorBrowser, _) = await app.SignedInUserAsync("Olive Operator", OperatorEmail);

        using var refused = await member.PostAsync("/api/ops/ledger/check", null);
        await refused.AssertStatusAsync(HttpStatusCode.NotFound);

        using var report = await operatorBrowser.PostAsync("/api/ops/ledger/check", null);
        await report.AssertStatusAsync(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await report.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("consistent").GetBoolean());
        Assert.Equal(0, json.RootElement.GetProperty("problems").GetArrayLength());
    }
}
