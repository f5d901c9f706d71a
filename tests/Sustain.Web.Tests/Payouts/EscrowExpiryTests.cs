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

    [Fact]
    public async Task Escrow_of_a_project_whose_maintainers_all_left_repays_the_platform_then_goes_to_the_pledges_other_projects()
    {
        var (left, other, abandoned) = (PayoutScenario.NewProject(), PayoutScenario.NewProject(), PayoutScenario.NewProject());
        var ana = await _scenario.MaintainerAsync();
        var anasClaim = await _scenario.ClaimAsync(left, ana);
        await _scenario.SplitAsync(left, DateTimeOffset.UtcNow.AddYears(-3), (ana, MaintainerSplit.Whole));
        var bo = await _scenario.MaintainerAsync();
        await _scenario.ClaimAsync(other, bo);
        await _scenario.SplitAsync(other, DateTimeOffset.UtcNow.AddYears(-3), (bo, MaintainerSplit.Whole));
        // A project whose only maintainer also left is no place to send money: it would only wait there again.
        var cy = await _scenario.MaintainerAsync();
        var cysClaim = await _scenario.ClaimAsync(abandoned, cy);
        await _scenario.SplitAsync(abandoned, DateTimeOffset.UtcNow.AddYears(-3), (cy, MaintainerSplit.Whole));

        // Ana was given a payment that was refunded afterwards: the platform advanced her project 9,680.
        var refunded = await _scenario.PayAsync(10_000, DateTimeOffset.UtcNow.AddMonths(-20), (left, 1));
        await _scenario.DistributeAsync();
        await _scenario.RefundAsync(refunded);
        Assert.Equal(-9_680, await _scenario.BalanceAsync(LedgerAccounts.PlatformAdvance(left)));

        // Then ana and cy left, fifteen months ago, and a payment came for the project while it had nobody.
        foreach (var (claim, project) in new[] { (anasClaim, left), (cysClaim, abandoned) })
        {
            await _scenario.SetClaimStateAsync(claim.Id, ClaimState.Revoked);
            await _scenario.SplitAsync(project, DateTimeOffset.UtcNow.AddMonths(-15));
        }

        // 20,000 cents, fee 610: 19,390 net, of which the project's half is 9,695.
        await _scenario.PayAsync(20_000, DateTimeOffset.UtcNow.AddMonths(-13), (left, 2), (other, 1), (abandoned, 1));
        await _scenario.DistributeAsync();
        Assert.Equal(9_695, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(left)));
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(other)));
        var abandonedPart = await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(abandoned));
        Assert.InRange(abandonedPart, 4_847, 4_848);

        var moved = await _scenario.Service<EscrowExpiry>().RunAsync(CancellationToken.None);

        // The project's part repays the 9,680 first; the other 15 and the abandoned project's part go to the one project with a maintainer.
        Assert.Equal(2, moved);
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.PlatformAdvance(left)));
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(left)));
        Assert.Equal(0, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(abandoned)));
        Assert.Equal(15 + abandonedPart, await _scenario.BalanceAsync(LedgerAccounts.ProjectEscrow(other)));
        Assert.Equal(9_680, await _scenario.BalanceAsync(LedgerAccounts.MaintainerPayable(ana.Id)));
        await _scenario.AssertLedgerConsistentAsync();
    }
}
