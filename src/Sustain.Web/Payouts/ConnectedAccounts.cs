using Microsoft.EntityFrameworkCore;
using Sustain.Data;
using Sustain.Data.Payouts;
using Sustain.Web.Payments;

namespace Sustain.Web.Payouts;

/// <summary>
/// Maintainers' Stripe Connect Express accounts: created on the first "Set up payouts", onboarded through
/// Stripe's account link, and kept up to date from <c>account.updated</c> webhooks (or a read on return from
/// onboarding).
/// </summary>
public sealed class ConnectedAccounts(IDbContextFactory<SustainDbContext> databases, IConnectGateway connect, TimeProvider time)
{
    public async Task<ConnectedAccount?> ForUserAsync(string userId, CancellationToken cancellation = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellation);
        return await db.ConnectedAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.UserId == userId, cancellation);
    }

    /// <summary>Where to send the maintainer to onboard: their account (created now if they have none) and Stripe's link for it.</summary>
    /// <exception cref="GatewayUnavailableException">when Stripe cannot be reached.</exception>
    public async Task<Uri> StartOnboardingAsync(string userId, string? email, Uri appBase, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(appBase);
        var existing = await ForUserAsync(userId, cancellation);
        var accountId = existing?.AccountId;
        if (accountId is null)
        {
            var created = await connect.CreateAccountAsync(userId, email, cancellation);
            await using var db = await databases.CreateDbContextAsync(cancellation);
            var now = time.GetUtcNow();
            db.ConnectedAccounts.Add(new ConnectedAccount
            {
                UserId = userId,
                AccountId = created.AccountId,
                Gateway = connect.IsSimulated ? "simulated" : "stripe",
                RequirementsDue = string.Join(",", created.RequirementsDue),
                CreatedAt = now,
                UpdatedAt = DateTimeOffset.UnixEpoch,
            });
            try
            {
                await db.SaveChangesAsync(cancellation);
                accountId = created.AccountId;
            }
            catch (DbUpdateException)
            {
                // A second click raced the first; Stripe's idempotency key gave both the same account, or the first row stands.
                accountId = (await ForUserAsync(userId, cancellation))?.AccountId ?? throw new InvalidOperationException($"No connected account could be stored for user {userId}.");
            }
        }

        return await connect.CreateOnboardingLinkAsync(accountId, new Uri(appBase, PayoutLinks.Onboard), new Uri(appBase, PayoutLinks.Returned), cancellation);
    }

    /// <summary>On return from onboarding: reads the account from Stripe, as its webhook may not have arrived yet.</summary>
    public async Task RefreshAsync(string userId, CancellationToken cancellation = default)
    {
        if (await ForUserAsync(userId, cancellation) is not { } account)
            return;
        var status = await connect.GetAccountAsync(account.AccountId, cancellation);
        await using var db = await databases.CreateDbContextAsync(cancellation);
        await ApplyAsync(db, status, time.GetUtcNow(), cancellation);
        await db.SaveChangesAsync(cancellation);
    }

    /// <summary>
    /// An <c>account.updated</c>, inside the webhook's transaction. Events can arrive out of order, so an event older
    /// than what the row already says changes nothing.
    /// </summary>
    public static async Task<string> ApplyAsync(SustainDbContext db, ConnectedAccountStatus status, DateTimeOffset at, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(status);
        var account = await db.ConnectedAccounts.SingleOrDefaultAsync(a => a.AccountId == status.AccountId, cancellation);
        if (account is null)
            return $"ignored: account {status.AccountId} is not a maintainer's account on this instance";
        if (at < account.UpdatedAt)
            return $"ignored: account {status.AccountId} was updated by a later event already";
        account.DetailsSubmitted = status.DetailsSubmitted;
        account.ChargesEnabled = status.ChargesEnabled;
        account.PayoutsEnabled = status.PayoutsEnabled;
        account.RequirementsDue = string.Join(",", status.RequirementsDue);
        account.DisabledReason = status.DisabledReason;
        account.UpdatedAt = at;
        return $"applied: account {status.AccountId} payouts {(status.PayoutsEnabled ? "enabled" : "disabled")}, {status.RequirementsDue.Count} requirement(s) due";
    }
}

public static class PayoutLinks
{
    public const string Dashboard = "/maintainers/payouts";
    public const string Onboard = "/maintainers/payouts/onboard";
    public const string Returned = "/maintainers/payouts/onboarded";
    public const string Export = "/maintainers/payouts/incoming.csv";
    public const string Operations = "/ops/payouts";
}
