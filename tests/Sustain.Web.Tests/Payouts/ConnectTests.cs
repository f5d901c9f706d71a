using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Core.Maintainers;
using Sustain.Testing.Fakes.Stripe;
using Sustain.Web.Payouts;
using Sustain.Web.Tests.Infrastructure;
using Sustain.Web.Tests.Maintainers;
using Sustain.Web.Tests.Pledges;

namespace Sustain.Web.Tests.Payouts;

public sealed class ConnectTests : IAsyncLifetime
{
    private readonly PayoutScenario _scenario = new();

    public Task InitializeAsync() => _scenario.InitializeAsync();

    public Task DisposeAsync() => _scenario.DisposeAsync();

    [Fact]
    public async Task Setting_up_payouts_creates_one_express_account_and_sends_the_maintainer_to_stripes_onboarding()
    {
        var (user, browser, _) = await _scenario.App.SignedInUserAsync();

        using var first = await browser.GetAsync(new Uri(PayoutLinks.Onboard, UriKind.Relative));
        using var second = await browser.GetAsync(new Uri(PayoutLinks.Onboard, UriKind.Relative));

        await first.AssertStatusAsync(HttpStatusCode.Redirect);
        Assert.StartsWith(_scenario.Stripe.Address + "connect/onboarding/", first.Headers.Location!.ToString(), StringComparison.Ordinal);
        var account = Assert.Single(_scenario.Stripe.Accounts);
        Assert.Equal(user.Id, account.Metadata["user_id"]);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        var stored = await _scenario.App.QueryAsync(db => db.ConnectedAccounts.SingleAsync(a => a.UserId == user.Id));
        Assert.Equal((account.Id, false), (stored.AccountId, stored.PayoutsEnabled));
    }

    [Fact]
    public async Task Account_updated_webhooks_track_the_account_and_an_older_one_changes_nothing()
    {
        var (user, browser, _) = await _scenario.App.SignedInUserAsync();
        using var onboard = await browser.GetAsync(new Uri(PayoutLinks.Onboard, UriKind.Relative));
        var account = Assert.Single(_scenario.Stripe.Accounts);
        var now = DateTimeOffset.UtcNow;

        var enabled = _scenario.Stripe.Event("account.updated", FakeStripe.AccountObject(account, payoutsEnabled: true), created: now);
        var older = _scenario.Stripe.Event("account.updated", FakeStripe.AccountObject(account, payoutsEnabled: false), created: now.AddHours(-1));
        var applied = await PledgeTestKit.DeliverAsync(_scenario.Client, _scenario.Stripe, enabled);
        var ignored = await PledgeTestKit.DeliverAsync(_scenario.Client, _scenario.Stripe, older);
        var duplicate = await PledgeTestKit.DeliverAsync(_scenario.Client, _scenario.Stripe, enabled);

        Assert.Contains("payouts enabled", applied, StringComparison.Ordinal);
        Assert.Contains("updated by a later event already", ignored, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"duplicate\"", duplicate, StringComparison.Ordinal);
        var stored = await _scenario.App.QueryAsync(db => db.ConnectedAccounts.SingleAsync(a => a.UserId == user.Id));
        Assert.True(stored.PayoutsEnabled);
        Assert.Equal("", stored.RequirementsDue);
    }

    [Fact]
    public async Task Returning_from_onboarding_reads_the_account_from_stripe_and_the_page_says_what_is_still_due()
    {
        var (user, browser, _) = await _scenario.App.SignedInUserAsync();
        using var onboard = await browser.GetAsync(new Uri(PayoutLinks.Onboard, UriKind.Relative));

        using var returned = await browser.GetAsync(new Uri(PayoutLinks.Returned, UriKind.Relative));
        var page = await MaintainersApp.PageAsync(browser, MaintainersApp.LocationOf(returned));

        Assert.Contains("external_account", page.QuerySelector("[data-testid=requirements]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("[data-testid=continue-onboarding]"));
        Assert.Equal("external_account,individual.verification", await _scenario.App.QueryAsync(db => db.ConnectedAccounts.Where(a => a.UserId == user.Id).Select(a => a.RequirementsDue).SingleAsync()));
    }

    [Fact]
    public async Task A_maintainer_sees_their_own_incoming_money_by_company_and_project_and_can_export_it()
    {
        var project = PayoutScenario.NewProject();
        var (ana, browser, _) = await _scenario.App.SignedInUserAsync();
        var (_, otherBrowser, _) = await _scenario.App.SignedInUserAsync();
        await _scenario.ClaimAsync(project, ana);
        await _scenario.SplitAsync(project, DateTimeOffset.UtcNow.AddHours(-1), (ana, MaintainerSplit.Whole));
        await _scenario.PayAsync(10_000, DateTimeOffset.UtcNow.AddMinutes(-1), (project, 1));
        await _scenario.DistributeAsync();

        var page = await MaintainersApp.PageAsync(browser, PayoutLinks.Dashboard);
        var csv = await browser.GetStringAsync(new Uri(PayoutLinks.Export, UriKind.Relative));
        var otherPage = await MaintainersApp.PageAsync(otherBrowser, PayoutLinks.Dashboard);
        var otherCsv = await otherBrowser.GetStringAsync(new Uri(PayoutLinks.Export, UriKind.Relative));

        Assert.Equal("USD 96.80", page.QuerySelector("[data-testid=balance]")!.TextContent.Trim());
        var row = Assert.Single(page.QuerySelectorAll("[data-testid=incoming-row]"));
        Assert.Contains("An anonymous company", row.TextContent, StringComparison.Ordinal);
        Assert.Contains(project, row.TextContent, StringComparison.Ordinal);
        Assert.Equal(["date,company,project,currency,amount", $"{DateTime.UtcNow:yyyy-MM-dd},An anonymous company,{project},USD,96.80"], csv.TrimEnd().Split('\n'));
        Assert.NotNull(otherPage.QuerySelector("[data-testid=no-incoming]"));
        Assert.Equal("date,company,project,currency,amount", otherCsv.TrimEnd());
    }

    [Fact]
    public async Task The_operators_payout_page_and_run_now_are_not_found_for_anyone_else()
    {
        var (_, browser, _) = await _scenario.App.SignedInUserAsync();
        using var anonymous = _scenario.App.CreateBrowser();

        using var page = await browser.GetAsync(new Uri(PayoutLinks.Operations, UriKind.Relative));
        using var anonymousPage = await anonymous.GetAsync(new Uri(PayoutLinks.Operations, UriKind.Relative));
        using var run = await browser.PostAsync(new Uri(PayoutEndpoints.RunNowPath, UriKind.Relative), null);

        await page.AssertStatusAsync(HttpStatusCode.NotFound);
        await anonymousPage.AssertStatusAsync(HttpStatusCode.NotFound);
        await run.AssertStatusAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await _scenario.App.QueryAsync(db => db.Jobs.CountAsync(j => j.Kind == PayoutJobKinds.Run)));
    }
}

public sealed class SimulatedConnectTests : IDisposable
{
    private readonly SustainAppFactory _app = new() { Settings = { ["Jobs:Enabled"] = "false" } };

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Simulated_onboarding_completes_at_once_and_a_run_pays_the_balance_with_a_simulated_transfer()
    {
        var (user, browser, _) = await _app.SignedInUserAsync();

        using var onboard = await browser.GetAsync(new Uri(PayoutLinks.Onboard, UriKind.Relative));
        var onboarding = MaintainersApp.LocationOf(onboard);
        Assert.StartsWith(SimulatedConnect.OnboardingPath + "?account=acct_sim_", onboarding, StringComparison.Ordinal);
        using var finished = await MaintainersApp.SubmitAsync(browser, onboarding, "finish-onboarding");
        var page = await MaintainersApp.FollowAsync(browser, finished);

        Assert.NotNull(page.QuerySelector("[data-testid=payouts-enabled]"));
        Assert.NotNull(page.QuerySelector("[data-testid=simulated-connect]"));
        Assert.Equal(1, await _app.QueryAsync(db => db.ProcessedEvents.CountAsync(e => e.Type == "account.updated")));

        await _app.QueryAsync(db =>
        {
            db.LedgerPostings.Add(new Data.Ledger.LedgerPosting
            {
                Kind = "payment",
                Description = "owed",
                Lines =
                [
                    new() { Account = Core.Ledger.LedgerAccounts.MaintainerPayable(user.Id), Currency = "EUR", AmountMinor = 2_500 },
                    new() { Account = Core.Ledger.LedgerAccounts.Platform, Currency = "EUR", AmountMinor = -2_500 },
                ],
            });
            return db.SaveChangesAsync();
        });
        var result = await _app.Services.GetRequiredService<PayoutRun>().RunAsync(null, CancellationToken.None);
        var payouts = await MaintainersApp.PageAsync(browser, PayoutLinks.Dashboard);

        Assert.Equal(1, result.Paid);
        Assert.Equal("EUR 25.00", payouts.QuerySelector("[data-testid=paid-total]")!.TextContent.Trim());
        Assert.Equal("Paid", payouts.QuerySelector("[data-testid=payout-state]")!.TextContent.Trim());
        Assert.StartsWith("tr_sim_", payouts.QuerySelector("[data-testid=payout-row] code")!.TextContent.Trim(), StringComparison.Ordinal);
    }
}
