using Microsoft.EntityFrameworkCore;
using Sustain.Core.Ledger;
using Sustain.Core.Maintainers;
using Sustain.Web.Payouts;
using Sustain.Web.Tests.Maintainers;

namespace Sustain.Web.Tests.Payouts;

public sealed class EscrowExpiryTests : IAsyncLifetime
{
    private readonly PayoutScenario _scenario = new();

    public Task InitializeAsync() => _scenario.InitializeAsync();

    public Task DisposeAsync() => _scenario.DisposeAsync();

    [Fact]
    public async Task Escrow_unclaimed_past_the_hold_goes_to_the_pledges_other_projects_and_the_organisation_is_told()
    {
        var (owner, browser, _) = await _scenario.App.SignedInUserAsync();
        var organisation = await _scenario.App.CreateOrganisationAsync(owner.Id, "Expiry Co");
        var (unclaimed, claimed, other, recent) = (PayoutScenario.NewProject(), PayoutScenario.NewProject(), PayoutScenario.NewProject(), PayoutScenario.NewProject());
        var ana = await _scenario.MaintainerAsync();
        await _scenario.ClaimAsync(claimed, ana);
        await _scenario.SplitAsync(claimed, DateTimeOffset.UtcNow.AddYears(-2), (ana, MaintainerSplit.Whole));
        var bo = await _scenario.MaintainerAsync();
        await _scenario.ClaimAsync(other, bo);
        await _scenario.SplitAsync(other, DateTimeOffset.UtcNow.AddYears(-2), (bo, MaintainerSplit.Whole));
        // 10,000 cents, fee 320: 9,680 net, of which the unclaimed project's fifth is 1,936.
        await _scenario.PayAsync(organisation.Id, 10_000, DateTimeOffset.UtcNow.AddMonths(-13), (unclaimed, 1), (claimed, 3), (other, 1));
        await _scenario.PayAsync(organisation.Id, 10_000, DateTimeOffset.UtcNow.AddMonths(-1), (recent, 1), (claimed, 1));
        var claimedBefore = await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(claimed));
        var otherBefore = await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(other));
        var waitingAlone = PayoutScenario.NewProject();
        await _scenario.PayAsync(organisation.Id, 10_000, DateTimeOffset.UtcNow.AddMonths(-14), (waitingAlone, 1));

        var moved = await _scenario.Service<EscrowExpiry>().RunAsync(CancellationToken.None);
        var again = await _scenario.Service<EscrowExpiry>().RunAsync(CancellationToken.None);

        Assert.Equal((1, 0), (moved, again));
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(unclaimed)));
        Assert.Equal(claimedBefore + 1_452, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(claimed)));
        Assert.Equal(otherBefore + 484, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(other)));
        Assert.Equal(4_840, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(recent)));
        Assert.Equal(9_680, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(waitingAlone)));
        var page = await MaintainersApp.PageAsync(browser, $"/app/{organisation.Slug}/pledges");
        var notice = Assert.Single(page.QuerySelectorAll("[data-testid=escrow-notice]"));
        Assert.Contains($"USD 19.36 you gave to {unclaimed}", notice.TextContent, StringComparison.Ordinal);

        await _scenario.DistributeAsync();
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(claimed)));
        Assert.Equal(5_808 + 1_452 + 4_840, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(ana.Id)));
        Assert.Equal(1, await _scenario.App.QueryAsync(db => db.EscrowNotices.CountAsync()));
        await _scenario.AssertLedgerConsistentAsync();
    }
}
