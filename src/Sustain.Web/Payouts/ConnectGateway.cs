using Sustain.Core;

namespace Sustain.Web.Payouts;

/// <summary>A connected account as Stripe describes it.</summary>
public sealed record ConnectedAccountStatus(string AccountId, bool DetailsSubmitted, bool ChargesEnabled, bool PayoutsEnabled, IReadOnlyList<string> RequirementsDue, string? DisabledReason);

/// <summary>A transfer to make: a payout's amount to its connected account, under the payout's idempotency key.</summary>
public sealed record TransferRequest(Guid PayoutId, string Destination, Money Amount, string IdempotencyKey);

/// <summary>A transfer as Stripe has it.</summary>
public sealed record TransferRecord(string TransferId, Guid? PayoutId, string Destination, Money Amount, bool Reversed);

/// <summary>Stripe refused a transfer for good (the account cannot receive it, the balance is short): the payout failed.</summary>
public sealed class TransferRefusedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Stripe Connect: Express accounts for maintainers, their onboarding links, and transfers to them. Stripe
/// through Stripe.net when a key is set; otherwise a simulation that works offline.
/// </summary>
public interface IConnectGateway
{
    bool IsSimulated { get; }

    /// <summary>A new Express account for the maintainer, able to receive transfers.</summary>
    /// <exception cref="Payments.GatewayUnavailableException">when Stripe cannot be reached.</exception>
    Task<ConnectedAccountStatus> CreateAccountAsync(string userId, string? email, CancellationToken cancellation);

    /// <summary>Where the maintainer fills in Stripe's onboarding; <paramref name="returnUrl"/> when done, <paramref name="refreshUrl"/> when the link expired.</summary>
    Task<Uri> CreateOnboardingLinkAsync(string accountId, Uri refreshUrl, Uri returnUrl, CancellationToken cancellation);

    Task<ConnectedAccountStatus> GetAccountAsync(string accountId, CancellationToken cancellation);

    /// <summary>Makes the transfer, or returns the one made earlier under the same idempotency key.</summary>
    /// <exception cref="TransferRefusedException">when Stripe refuses it.</exception>
    /// <exception cref="Payments.GatewayUnavailableException">when Stripe cannot say now; ask again with the same key.</exception>
    Task<TransferRecord> CreateTransferAsync(TransferRequest request, CancellationToken cancellation);

    /// <summary>Transfers created at or after <paramref name="since"/>, newest first, all pages.</summary>
    Task<IReadOnlyList<TransferRecord>> ListTransfersAsync(DateTimeOffset since, CancellationToken cancellation);
}

/// <summary>The metadata a transfer carries, so reconciliation can match it to its payout.</summary>
public static class PayoutMetadata
{
    public const string PayoutId = "payout_id";

    public static Guid? PayoutOf(IDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(PayoutId, out var value) && Guid.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
}
