using System.Net;
using Stripe;
using Sustain.Core;
using Sustain.Web.Payments;

namespace Sustain.Web.Payouts;

/// <summary>Stripe Connect through Stripe.net, against <c>Stripe:ApiBaseAddress</c> when it is set.</summary>
public sealed class StripeConnect(IStripeClient client) : IConnectGateway
{
    public bool IsSimulated => false;

    public async Task<ConnectedAccountStatus> CreateAccountAsync(string userId, string? email, CancellationToken cancellation)
    {
        var options = new AccountCreateOptions
        {
            Type = "express",
            Email = email,
            Capabilities = new AccountCapabilitiesOptions { Transfers = new AccountCapabilitiesTransfersOptions { Requested = true } },
            Metadata = new Dictionary<string, string> { ["user_id"] = userId },
        };
        var account = await CallAsync(() => new AccountService(client).CreateAsync(options, new RequestOptions { IdempotencyKey = $"connect-account-{userId}" }, cancellation), "create the connected account");
        return StatusOf(account);
    }

    public async Task<Uri> CreateOnboardingLinkAsync(string accountId, Uri refreshUrl, Uri returnUrl, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(refreshUrl);
        ArgumentNullException.ThrowIfNull(returnUrl);
        var options = new AccountLinkCreateOptions { Account = accountId, RefreshUrl = refreshUrl.ToString(), ReturnUrl = returnUrl.ToString(), Type = "account_onboarding" };
        var link = await CallAsync(() => new AccountLinkService(client).CreateAsync(options, cancellationToken: cancellation), "create the onboarding link");
        return new Uri(link.Url);
    }

    public async Task<ConnectedAccountStatus> GetAccountAsync(string accountId, CancellationToken cancellation) =>
        StatusOf(await CallAsync(() => new AccountService(client).GetAsync(accountId, cancellationToken: cancellation), $"read account {accountId}"));

    public async Task<TransferRecord> CreateTransferAsync(TransferRequest request, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = new TransferCreateOptions
        {
            Amount = request.Amount.Minor,
            Currency = request.Amount.Currency.Code.ToLowerInvariant(),
            Destination = request.Destination,
            TransferGroup = $"payout_{request.PayoutId:N}",
            Metadata = new Dictionary<string, string> { [PayoutMetadata.PayoutId] = request.PayoutId.ToString() },
        };
        try
        {
            return RecordOf(await new TransferService(client).CreateAsync(options, new RequestOptions { IdempotencyKey = request.IdempotencyKey }, cancellation));
        }
        catch (StripeException e) when (e.HttpStatusCode is HttpStatusCode.BadRequest or HttpStatusCode.PaymentRequired or HttpStatusCode.NotFound)
        {
            throw new TransferRefusedException($"Stripe refused the transfer: {e.StripeError?.Message ?? e.Message}", e);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException)
        {
            throw new GatewayUnavailableException($"Stripe did not answer for the transfer: {e.Message}", e);
        }
    }

    public async Task<IReadOnlyList<TransferRecord>> ListTransfersAsync(DateTimeOffset since, CancellationToken cancellation)
    {
        var options = new TransferListOptions { Limit = 100, Created = new DateRangeOptions { GreaterThanOrEqual = since.UtcDateTime } };
        var transfers = new List<TransferRecord>();
        try
        {
            await foreach (var transfer in new TransferService(client).ListAutoPagingAsync(options, cancellationToken: cancellation))
                transfers.Add(RecordOf(transfer));
        }
        catch (Exception e) when (e is StripeException or HttpRequestException)
        {
            throw new GatewayUnavailableException($"Stripe did not list transfers: {e.Message}", e);
        }

        return transfers;
    }

    public static ConnectedAccountStatus StatusOf(Account account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new ConnectedAccountStatus(account.Id, account.DetailsSubmitted, account.ChargesEnabled, account.PayoutsEnabled,
            account.Requirements?.CurrentlyDue?.ToList() ?? [], account.Requirements?.DisabledReason);
    }

    private static TransferRecord RecordOf(Transfer transfer) =>
        new(transfer.Id, PayoutMetadata.PayoutOf(transfer.Metadata), transfer.DestinationId, new Money(transfer.Amount, StripeGateway.FromStripe(transfer.Currency)), transfer.Reversed);

    private static async Task<T> CallAsync<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is StripeException or HttpRequestException)
        {
            throw new GatewayUnavailableException($"Stripe could not {what}: {e.Message}", e);
        }
    }
}
