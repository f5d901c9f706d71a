using Microsoft.EntityFrameworkCore;
using Sustain.Core.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Core.Maintainers;
using Sustain.Web.Maintainers;

namespace Sustain.Web.Tests.Payouts;

public sealed class EscrowDistributionTests : IAsyncLifetime
{
    private readonly PayoutScenario _scenario = new();

    public Task InitializeAsync() => _scenario.InitializeAsync();

    public Task DisposeAsync() => _scenario.DisposeAsync();

    [Fact]
    public async Task Money_goes_to_the_maintainers_by_the_split_in_effect_when_it_arrived()
    {
        var project = PayoutScenario.NewProject();
        var ana = await _scenario.MaintainerAsync();
        var bo = await _scenario.MaintainerAsync();
        await _scenario.ClaimAsync(project, ana);
        await _scenario.ClaimAsync(project, bo);
        var now = DateTimeOffset.UtcNow;
        await _scenario.SplitAsync(project, now.AddHours(-3), (ana, MaintainerSplit.Whole));
        await _scenario.SplitAsync(project, now.AddHours(-1), (ana, 5_000), (bo, 5_000));

        var first = await _scenario.PayAsync(10_000, now.AddHours(-2), (project, 1));
        var second = await _scenario.PayAsync(20_000, now.AddMinutes(-5), (project, 1));
        await _scenario.DistributeAsync();

        Assert.Equal((9_680, 19_390), (first.Amount - first.Fee, second.Amount - second.Fee));
        Assert.Equal(9_680 + 9_695, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(ana.Id)));
        Assert.Equal(9_695, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(bo.Id)));
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(project)));
        await _scenario.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Escrow_for_an_unclaimed_project_waits_and_goes_by_the_first_split_once_claimed()
    {
        var project = PayoutScenario.NewProject();
        var payment = await _scenario.PayAsync(5_000, DateTimeOffset.UtcNow.AddDays(-10), (project, 1));
        var net = payment.Amount - payment.Fee;

        var before = await _scenario.DistributeAsync();
        Assert.Equal(1, before.LinesWaiting);
        Assert.Equal(net, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(project)));

        var ana = await _scenario.MaintainerAsync();
        await _scenario.ClaimAsync(project, ana);
        await _scenario.SplitAsync(project, DateTimeOffset.UtcNow, (ana, MaintainerSplit.Whole));
        await _scenario.DistributeAsync();
        var again = await _scenario.DistributeAsync();

        Assert.Equal(0, again.LinesReleased);
        Assert.Equal(net, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(ana.Id)));
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(project)));
        await _scenario.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Money_arriving_after_the_last_maintainer_left_waits_as_if_the_project_were_unclaimed()
    {
        var project = PayoutScenario.NewProject();
        var ana = await _scenario.MaintainerAsync();
        var claim = await _scenario.ClaimAsync(project, ana);
        await _scenario.SplitAsync(project, DateTimeOffset.UtcNow.AddDays(-2), (ana, MaintainerSplit.Whole));
        var before = await _scenario.PayAsync(10_000, DateTimeOffset.UtcNow.AddDays(-1), (project, 1));
        await _scenario.DistributeAsync();

        var withdrawn = await _scenario.App.WithScopeAsync(services => services.GetRequiredService<MaintainerClaims>()
            .WithdrawAsync(new MaintainerActor(ana.Id, claim.GitHubLogin, ana.Email, IsOperator: false), claim.Id));
        Assert.True(withdrawn.Succeeded, withdrawn.Message);
        var after = await _scenario.PayAsync(20_000, DateTimeOffset.UtcNow.AddMinutes(1), (project, 1));
        var result = await _scenario.DistributeAsync();

        Assert.Equal(before.Amount - before.Fee, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(ana.Id)));
        Assert.Equal(after.Amount - after.Fee, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(project)));
        Assert.Equal(1, result.LinesWaiting);
        await _scenario.AssertLedgerConsistentAsync();

        // The next maintainer receives what waited, by the split of when they came.
        var bo = await _scenario.MaintainerAsync();
        await _scenario.ClaimAsync(project, bo);
        await _scenario.SplitAsync(project, DateTimeOffset.UtcNow, (bo, MaintainerSplit.Whole));
        await _scenario.DistributeAsync();

        Assert.Equal(after.Amount - after.Fee, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(bo.Id)));
        Assert.Equal(before.Amount - before.Fee, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(ana.Id)));
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(project)));
        await _scenario.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_contested_maintainers_part_is_held_then_follows_the_operators_decision()
    {
        var upheldProject = PayoutScenario.NewProject();
        var rejectedProject = PayoutScenario.NewProject();
        var ana = await _scenario.MaintainerAsync();
        var bo = await _scenario.MaintainerAsync();
        var since = DateTimeOffset.UtcNow.AddHours(-1);
        var claims = new Dictionary<string, Guid>();
        foreach (var project in new[] { upheldProject, rejectedProject })
        {
            await _scenario.ClaimAsync(project, ana);
            claims[project] = (await _scenario.ClaimAsync(project, bo, ClaimState.Contested)).Id;
            await _scenario.SplitAsync(project, since, (ana, 5_000), (bo, 5_000));
        }

        var payment = await _scenario.PayAsync(10_000, DateTimeOffset.UtcNow.AddMinutes(-1), (upheldProject, 1), (rejectedProject, 1));
        await _scenario.DistributeAsync();
        var perProject = (payment.Amount - payment.Fee) / 2;
        Assert.Equal(perProject / 2, await _scenario.BalanceAsync(LedgerAccounts.ContestedHeld(claims[upheldProject])));
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(bo.Id)));

        await _scenario.SetClaimStateAsync(claims[upheldProject], ClaimState.Verified);
        await _scenario.SetClaimStateAsync(claims[rejectedProject], ClaimState.Rejected);
        // The claim lifecycle records a split without the rejected claimant, from now on.
        await _scenario.SplitAsync(rejectedProject, DateTimeOffset.UtcNow, (ana, MaintainerSplit.Whole));
        await _scenario.DistributeAsync();

        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.ContestedHeld(claims[upheldProject])));
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.ContestedHeld(claims[rejectedProject])));
        Assert.Equal(perProject / 2, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(bo.Id)));
        Assert.Equal(perProject * 2 - (perProject / 2), await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(ana.Id)));
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(rejectedProject)));
        await _scenario.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_refund_before_the_release_takes_its_part_out_of_what_is_released()
    {
        var project = PayoutScenario.NewProject();
        var ana = await _scenario.MaintainerAsync();
        await _scenario.ClaimAsync(project, ana);
        await _scenario.SplitAsync(project, DateTimeOffset.UtcNow.AddHours(-1), (ana, MaintainerSplit.Whole));
        var payment = await _scenario.PayAsync(10_000, DateTimeOffset.UtcNow.AddMinutes(-2), (project, 1));
        var charge = new System.Text.Json.Nodes.JsonObject { ["id"] = payment.ChargeId, ["object"] = "charge", ["payment_intent"] = payment.PaymentIntentId, ["amount"] = payment.Amount, ["amount_refunded"] = payment.Amount, ["currency"] = "usd", ["refunded"] = true };
        await Pledges.PledgeTestKit.DeliverAsync(_scenario.Client, _scenario.Stripe, _scenario.Stripe.Event("charge.refunded", charge));

        await _scenario.DistributeAsync();

        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(ana.Id)));
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(project)));
        Assert.Equal(2, await _scenario.App.QueryAsync(db => db.EscrowLineReleases.CountAsync(r => r.ProjectKey == project)));
        await _scenario.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_refund_after_the_release_is_advanced_by_the_platform_and_repaid_from_the_projects_next_money()
    {
        var (project, ana, first, given) = await GivenToTheMaintainerAsync();

        await RefundAsync(first);

        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(project)));
        Assert.Equal(-given, await _scenario.BalanceAsync(LedgerAccounts.PlatformAdvance(project)));
        Assert.Equal(given, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(ana.Id)));
        await _scenario.AssertLedgerConsistentAsync();

        var second = await _scenario.PayAsync(20_000, DateTimeOffset.UtcNow.AddMinutes(-5), (project, 1));
        await _scenario.DistributeAsync();

        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.PlatformAdvance(project)));
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(project)));
        Assert.Equal(second.Amount - second.Fee, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(ana.Id)));
        await _scenario.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_dispute_won_after_the_release_repays_the_platform_and_does_not_pay_the_maintainers_twice()
    {
        var (project, ana, payment, given) = await GivenToTheMaintainerAsync();

        await DeliverAsync("charge.dispute.created", _scenario.Stripe.DisputeObject(payment, "dp_after_release", payment.Amount, "needs_response"));
        Assert.Equal(-given, await _scenario.BalanceAsync(LedgerAccounts.PlatformAdvance(project)));
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(project)));

        await DeliverAsync("charge.dispute.closed", _scenario.Stripe.DisputeObject(payment, "dp_after_release", payment.Amount, "won"));
        await _scenario.DistributeAsync();

        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.PlatformAdvance(project)));
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(project)));
        Assert.Equal(given, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(ana.Id)));
        await _scenario.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task What_an_organisation_gave_stays_given_when_it_reaches_the_maintainers_and_a_refund_takes_all_of_it_back()
    {
        var (project, _, payment, given) = await GivenToTheMaintainerAsync();

        Assert.Equal(given, await GivenOnTheLeaderboardsAsync(project));

        await RefundAsync(payment);

        Assert.Equal(-given, await _scenario.BalanceAsync(LedgerAccounts.PlatformAdvance(project)));
        Assert.Equal(0, await GivenOnTheLeaderboardsAsync(project));
    }

    private Task<long> GivenOnTheLeaderboardsAsync(string project) => _scenario.App.QueryAsync(async db =>
    {
        var now = DateTimeOffset.UtcNow;
        var (totals, _) = await Sustain.Web.Leaderboards.GivingTotals.LoadAsync(db, "USD", now.AddYears(-1), now.AddMinutes(1), TimeSpan.Zero, now, Sustain.Web.Leaderboards.Pacing.Waited, CancellationToken.None);
        return totals.Given(_scenario.OrganisationId, project);
    });

    /// <summary>A project with one maintainer, who has been given all of a payment of 10,000 (less its fee).</summary>
    private async Task<(string Project, Sustain.Data.Identity.SustainUser Maintainer, Sustain.Testing.Fakes.Stripe.FakeStripePayment Payment, long Given)> GivenToTheMaintainerAsync()
    {
        var project = PayoutScenario.NewProject();
        var maintainer = await _scenario.MaintainerAsync();
        await _scenario.ClaimAsync(project, maintainer);
        await _scenario.SplitAsync(project, DateTimeOffset.UtcNow.AddHours(-1), (maintainer, MaintainerSplit.Whole));
        var payment = await _scenario.PayAsync(10_000, DateTimeOffset.UtcNow.AddMinutes(-30), (project, 1));
        await _scenario.DistributeAsync();
        var given = payment.Amount - payment.Fee;
        Assert.Equal(given, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(maintainer.Id)));
        return (project, maintainer, payment, given);
    }

    private Task<string> RefundAsync(Sustain.Testing.Fakes.Stripe.FakeStripePayment payment) => _scenario.RefundAsync(payment);

    private Task<string> DeliverAsync(string type, System.Text.Json.Nodes.JsonObject data) => _scenario.DeliverAsync(type, data);
}
