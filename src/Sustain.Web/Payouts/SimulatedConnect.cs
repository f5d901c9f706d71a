using System.Collections.Concurrent;

namespace Sustain.Web.Payouts;

/// <summary>
/// Stripe Connect without Stripe, for trying the payout journey offline: an account is created at once, its
/// onboarding is a page of the app that completes at once, and a transfer always succeeds with an id derived
/// from its idempotency key, so asking again after a restart answers the same transfer.
/// </summary>
public sealed class SimulatedConnect : IConnectGateway
{
    /// <summary>The app's page standing in for Stripe's onboarding.</summary>
    public const string OnboardingPath = "/maintainers/payouts/simulated-onboarding";

    private readonly ConcurrentDictionary<string, TransferRecord> _transfers = new(StringComparer.Ordinal);

    public bool IsSimulated => true;

    public Task<ConnectedAccountStatus> CreateAccountAsync(string userId, string? email, CancellationToken cancellation) =>
        Task.FromResult(new ConnectedAccountStatus($"acct_sim_{Guid.NewGuid():N}"[..25], DetailsSubmitted: false, ChargesEnabled: false, PayoutsEnabled: false, ["external_account", "individual.verification"], null));

    public Task<Uri> CreateOnboardingLinkAsync(string accountId, Uri refreshUrl, Uri returnUrl, CancellationToken cancellation) =>
        Task.FromResult(new Uri(returnUrl, $"{OnboardingPath}?account={Uri.EscapeDataString(accountId)}"));

    /// <summary>The simulated account as onboarding leaves it: complete, able to receive payouts.</summary>
    public Task<ConnectedAccountStatus> GetAccountAsync(string accountId, CancellationToken cancellation) =>
        Task.FromResult(new ConnectedAccountStatus(accountId, DetailsSubmitted: true, ChargesEnabled: true, PayoutsEnabled: true, [], null));

    public Task<TransferRecord> CreateTransferAsync(TransferRequest request, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        var transfer = _transfers.GetOrAdd(request.IdempotencyKey, key => new TransferRecord($"tr_sim_{request.PayoutId:N}", request.PayoutId, request.Destination, request.Amount, Reversed: false));
        return Task.FromResult(transfer);
    }

    public Task<IReadOnlyList<TransferRecord>> ListTransfersAsync(DateTimeOffset since, CancellationToken cancellation) =>
        Task.FromResult<IReadOnlyList<TransferRecord>>([.. _transfers.Values]);
}
