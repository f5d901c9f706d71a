using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Core.Ledger;
using Sustain.Core.Maintainers;
using Sustain.Data.Payouts;
using Sustain.Web.Payouts;

namespace Sustain.Web.Tests.Payouts;

public sealed class PayoutRunTests : IAsyncLifetime
{
    private readonly PayoutScenario _scenario = new();

    public Task InitializeAsync() => _scenario.InitializeAsync();

    public Task DisposeAsync() => _scenario.DisposeAsync();

    [Fact]
    public async Task A_run_pays_each_due_maintainer_once_through_a_stripe_transfer_keyed_by_the_payout()
    {
        var (ana, bo, project) = await TwoMaintainersPaidAsync(20_000);
        var anaAccount = await _scenario.ConnectAsync(ana);
        await _scenario.ConnectAsync(bo, payoutsEnabled: false);

        var result = await _scenario.RunPayoutsAsync();
        var again = await _scenario.RunPayoutsAsync();

        Assert.Equal((1, 1), (result.Created, result.Paid));
        Assert.Equal(0, again.Created);
        var transfer = Assert.Single(_scenario.Stripe.Transfers);
        var payout = await _scenario.App.QueryAsync(db => db.Payouts.SingleAsync());
        Assert.Equal((PayoutState.Paid, transfer.Id, anaAccount.Id, 9_695L), (payout.State, payout.TransferId, transfer.Destination, transfer.Amount));
        Assert.Equal(payout.IdempotencyKey, transfer.IdempotencyKey);
        Assert.Equal(payout.Id.ToString(), transfer.Metadata[PayoutMetadata.PayoutId]);
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(ana.Id)));
        Assert.Equal(9_695, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(bo.Id)));
        Assert.Equal(9_695, await _scenario.BalanceAsync(LedgerAccounts.PayoutsPaid));
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.PayoutsInTransit));
        await _scenario.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_balance_below_the_minimum_waits_for_a_later_run()
    {
        var project = PayoutScenario.NewProject();
        var ana = await _scenario.MaintainerAsync();
        await _scenario.ClaimAsync(project, ana);
        await _scenario.SplitAsync(project, DateTimeOffset.UtcNow.AddHours(-1), (ana, MaintainerSplit.Whole));
        await _scenario.PayAsync(1_000, DateTimeOffset.UtcNow.AddMinutes(-1), (project, 1));
        await _scenario.ConnectAsync(ana);

        var result = await _scenario.RunPayoutsAsync();

        Assert.Equal(0, result.Created);
        Assert.Equal(1_000 - 59, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(ana.Id)));
        Assert.Empty(_scenario.Stripe.Transfers);
    }

    [Fact]
    public async Task A_refused_transfer_fails_the_payout_gives_the_money_back_and_the_next_run_tries_again()
    {
        var (ana, _, _) = await TwoMaintainersPaidAsync(20_000);
        var account = await _scenario.ConnectAsync(ana);
        _scenario.Stripe.RefuseTransfersTo(account.Id, "The destination account cannot receive transfers.");

        var refused = await _scenario.RunPayoutsAsync();

        Assert.Equal(1, refused.Failed);
        var failed = await _scenario.App.QueryAsync(db => db.Payouts.SingleAsync());
        Assert.Equal(PayoutState.Failed, failed.State);
        Assert.Contains("cannot receive transfers", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(9_695, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(ana.Id)));
        await _scenario.AssertLedgerConsistentAsync();

        var retried = await RunWithRefusalLiftedAsync(account.Id);

        Assert.Equal(1, retried.Paid);
        Assert.Single(_scenario.Stripe.Transfers);
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(ana.Id)));
        await _scenario.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_transfer_stripe_could_not_answer_stays_submitted_and_is_paid_once_by_the_next_run()
    {
        var (ana, _, _) = await TwoMaintainersPaidAsync(20_000);
        await _scenario.ConnectAsync(ana);
        _scenario.Stripe.MakeTransfersUnavailable(10);

        var down = await _scenario.RunPayoutsAsync();

        Assert.Equal(1, down.StillOpen);
        var submitted = await _scenario.App.QueryAsync(db => db.Payouts.SingleAsync());
        Assert.Equal(PayoutState.Submitted, submitted.State);
        Assert.Contains("Stripe could not be reached", submitted.LastError, StringComparison.Ordinal);
        Assert.Equal(9_695, await _scenario.BalanceAsync(LedgerAccounts.PayoutsInTransit));
        await _scenario.AssertLedgerConsistentAsync();

        _scenario.Stripe.MakeTransfersUnavailable(0);
        var up = await _scenario.RunPayoutsAsync();
        await _scenario.RunPayoutsAsync();

        Assert.Equal((0, 1), (up.Created, up.Paid));
        Assert.Single(_scenario.Stripe.Transfers);
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.PayoutsInTransit));
        await _scenario.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Reconciliation_settles_a_payout_whose_transfer_stripe_made_but_the_run_never_recorded()
    {
        var (ana, _, _) = await TwoMaintainersPaidAsync(20_000);
        var account = await _scenario.ConnectAsync(ana);
        await _scenario.DistributeAsync();
        var payoutId = await _scenario.Service<PayoutLedger>().WriteAsync("test payout", async db =>
        {
            var payout = new Payout { UserId = ana.Id, ConnectedAccountId = account.Id, Currency = "USD", AmountMinor = 9_695, State = PayoutState.Submitted };
            db.Payouts.Add(payout);
            PayoutLedger.Post(db, Core.Payouts.PayoutTransactions.Reserve(ana.Id, new Core.Money(9_695, Core.Currency.USD)), "test", DateTimeOffset.UtcNow, payout.Id);
            await Task.CompletedTask;
            return payout.Id;
        }, CancellationToken.None);
        // The run that made this payout stopped right after Stripe made the transfer.
        await _scenario.Service<IConnectGateway>().CreateTransferAsync(new TransferRequest(payoutId, account.Id, new Core.Money(9_695, Core.Currency.USD), $"payout-{payoutId:N}"), CancellationToken.None);

        var settled = await _scenario.Service<PayoutReconciler>().RunAsync(CancellationToken.None);
        await _scenario.RunPayoutsAsync();

        Assert.Equal(1, settled);
        Assert.Single(_scenario.Stripe.Transfers);
        Assert.Equal(PayoutState.Paid, await _scenario.App.QueryAsync(db => db.Payouts.Where(p => p.Id == payoutId).Select(p => p.State).SingleAsync()));
        await _scenario.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Paid_and_failed_payouts_are_stamped_with_the_app_clock()
    {
        var (ana, bo, _) = await TwoMaintainersPaidAsync(20_000);
        await _scenario.ConnectAsync(ana);
        var refused = await _scenario.ConnectAsync(bo);
        _scenario.Stripe.RefuseTransfersTo(refused.Id, "The destination account cannot receive transfers.");
        // Whole seconds, days away from the real clock: every database keeps it exactly, and it cannot be mistaken for "now".
        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AddDays(3);
        await using var later = _scenario.App.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(new StoppedClock(at))));

        var result = await later.Services.GetRequiredService<PayoutRun>().RunAsync(null, CancellationToken.None);

        Assert.Equal((1, 1), (result.Paid, result.Failed));
        var payouts = await _scenario.App.QueryAsync(db => db.Payouts.Select(p => new { p.State, p.SettledAt }).ToListAsync());
        Assert.Equal([(PayoutState.Paid, at), (PayoutState.Failed, at)], payouts.OrderBy(p => p.State).Select(p => (p.State, p.SettledAt)));
        var postings = await _scenario.App.QueryAsync(db => db.LedgerPostings.Where(p => p.PayoutId != null).Select(p => p.PostedAt).ToListAsync());
        Assert.Equal(4, postings.Count);
        Assert.All(postings, posted => Assert.Equal(at, posted));
    }

    private async Task<PayoutRunResult> RunWithRefusalLiftedAsync(string accountId)
    {
        _scenario.Stripe.LiftRefusal(accountId);
        return await _scenario.RunPayoutsAsync();
    }

    /// <summary>A project split 50/50 between two new maintainers, and a payment of <paramref name="amount"/> cents to it.</summary>
    private async Task<(Data.Identity.SustainUser Ana, Data.Identity.SustainUser Bo, string Project)> TwoMaintainersPaidAsync(long amount)
    {
        var project = PayoutScenario.NewProject();
        var ana = await _scenario.MaintainerAsync();
        var bo = await _scenario.MaintainerAsync();
        await _scenario.ClaimAsync(project, ana);
        await _scenario.ClaimAsync(project, bo);
        await _scenario.SplitAsync(project, DateTimeOffset.UtcNow.AddHours(-1), (ana, 5_000), (bo, 5_000));
        await _scenario.PayAsync(amount, DateTimeOffset.UtcNow.AddMinutes(-1), (project, 1));
        return (ana, bo, project);
    }
}

/// <summary>A clock that always reads <paramref name="at"/>.</summary>
internal sealed class StoppedClock(DateTimeOffset at) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => at;
}
