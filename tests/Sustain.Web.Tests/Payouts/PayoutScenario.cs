using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sustain.Core.Maintainers;
using Sustain.Data.Identity;
using Sustain.Data.Maintainers;
using Sustain.Data.Payouts;
using Sustain.Data.Pledges;
using Sustain.Data.Projects;
using Sustain.Testing.Fakes.Stripe;
using Sustain.Web.Payouts;
using Sustain.Web.Pledges;
using Sustain.Web.Tests.Infrastructure;
using Sustain.Web.Tests.Pledges;

namespace Sustain.Web.Tests.Payouts;

/// <summary>
/// An app on a fake Stripe with one organisation, and helpers that put projects, maintainers, splits and paid
/// pledges straight in place, so a test states only the money's path it is about.
/// </summary>
public sealed class PayoutScenario : IAsyncLifetime
{
    public FakeStripe Stripe { get; private set; } = default!;

    public SustainAppFactory App { get; private set; } = default!;

    public HttpClient Client { get; private set; } = default!;

    public Guid OrganisationId { get; private set; }

    public async Task InitializeAsync()
    {
        Stripe = await FakeStripe.StartAsync(PledgeTestKit.StripeFixtures);
        App = PledgeTestKit.AppFor(Stripe);
        App.Settings["Jobs:Enabled"] = "false";
        Client = App.CreateClient();
        var owner = await App.CreateUserAsync();
        OrganisationId = (await App.CreateOrganisationAsync(owner.Id, "Acme Payouts")).Id;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static string NewProject() => $"github.com/acme/{Guid.NewGuid():N}"[..32];

    public async Task<SustainUser> MaintainerAsync() => await App.CreateUserAsync();

    /// <summary>A verified (or other state) claim of <paramref name="user"/> on <paramref name="project"/>.</summary>
    public Task<MaintainerClaim> ClaimAsync(string project, SustainUser user, ClaimState state = ClaimState.Verified) => App.QueryAsync(async db =>
    {
        if (!await db.Projects.AnyAsync(p => p.Key == project))
        {
            var parts = project.Split('/');
            db.Projects.Add(new Project { Key = project, Host = parts[0], Owner = parts[1], Name = parts[2], RepositoryUrl = $"https://{project}" });
        }

        var claim = new MaintainerClaim { ProjectKey = project, UserId = user.Id, GitHubLogin = user.Email![..8], State = state, VerificationToken = Guid.NewGuid().ToString("N"), VerifiedAt = DateTimeOffset.UtcNow };
        db.MaintainerClaims.Add(claim);
        await db.SaveChangesAsync();
        return claim;
    });

    public Task SplitAsync(string project, DateTimeOffset effectiveFrom, params (SustainUser User, int BasisPoints)[] shares) => App.QueryAsync(async db =>
    {
        var number = (await db.MaintainerSplitVersions.Where(v => v.ProjectKey == project).MaxAsync(v => (int?)v.Number) ?? 0) + 1;
        db.MaintainerSplitVersions.Add(new MaintainerSplitVersion
        {
            ProjectKey = project,
            Number = number,
            EffectiveFrom = effectiveFrom,
            Reason = "test",
            Shares = [.. shares.Select(s => new MaintainerSplitShare { UserId = s.User.Id, GitHubLogin = s.User.Email![..8], BasisPoints = s.BasisPoints })],
        });
        return await db.SaveChangesAsync();
    });

    public Task SetClaimStateAsync(Guid claimId, ClaimState state) => App.QueryAsync(async db =>
    {
        var claim = await db.MaintainerClaims.SingleAsync(c => c.Id == claimId);
        claim.State = state;
        return await db.SaveChangesAsync();
    });

    /// <summary>A one-off pledge of <paramref name="amount"/> cents over <paramref name="shares"/>, paid through a signed webhook at <paramref name="paidAt"/>.</summary>
    public Task<FakeStripePayment> PayAsync(long amount, DateTimeOffset paidAt, params (string Project, long Weight)[] shares) => PayAsync(OrganisationId, amount, paidAt, shares);

    public async Task<FakeStripePayment> PayAsync(Guid organisationId, long amount, DateTimeOffset paidAt, params (string Project, long Weight)[] shares)
    {
        var snapshot = await PledgeTestKit.CreateSnapshotAsync(App, organisationId, "USD", shares);
        var pledge = await PledgeTestKit.CreatePledgeAsync(App, snapshot, PledgeFrequency.OneOff, amount);
        var payment = Stripe.AddPayment(amount, "usd");
        await PledgeTestKit.DeliverAsync(Client, Stripe, Stripe.Event("checkout.session.completed", Stripe.CheckoutSessionObject(pledge.Id.ToString(), "payment", amount, "usd", payment), created: paidAt));
        return payment;
    }

    /// <summary>A connected account for <paramref name="user"/> at the fake, as onboarding (done or not) leaves it.</summary>
    public async Task<FakeStripeAccount> ConnectAsync(SustainUser user, bool payoutsEnabled = true)
    {
        var account = Stripe.AddAccount(payoutsEnabled);
        await App.QueryAsync(db =>
        {
            db.ConnectedAccounts.Add(new ConnectedAccount { UserId = user.Id, AccountId = account.Id, Gateway = "stripe", PayoutsEnabled = payoutsEnabled, DetailsSubmitted = payoutsEnabled });
            return db.SaveChangesAsync();
        });
        return account;
    }

    /// <summary>Stripe says <paramref name="payment"/> was refunded in full.</summary>
    public Task<string> RefundAsync(FakeStripePayment payment) =>
        DeliverAsync("charge.refunded", new System.Text.Json.Nodes.JsonObject { ["id"] = payment.ChargeId, ["object"] = "charge", ["payment_intent"] = payment.PaymentIntentId, ["amount"] = payment.Amount, ["amount_refunded"] = payment.Amount, ["currency"] = "usd", ["refunded"] = true });

    /// <summary>A signed webhook event of <paramref name="type"/> about <paramref name="data"/>.</summary>
    public Task<string> DeliverAsync(string type, System.Text.Json.Nodes.JsonObject data) => PledgeTestKit.DeliverAsync(Client, Stripe, Stripe.Event(type, data));

    public Task<long> BalanceAsync(string account) => App.QueryAsync(db => db.LedgerLines.Where(l => l.Account == account).SumAsync(l => l.AmountMinor));

    public async Task AssertLedgerConsistentAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<LedgerCheck>().RunAsync();
        Assert.True(report.Consistent, string.Join("\n", report.Problems));
    }

    public Task<DistributionResult> DistributeAsync() => Service<EscrowDistributor>().RunAsync(CancellationToken.None);

    public Task<PayoutRunResult> RunPayoutsAsync() => Service<PayoutRun>().RunAsync(null, CancellationToken.None);
}
