using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Sustain.Testing.Fakes.Stripe;

/// <summary>A connected account the app created.</summary>
public sealed record FakeStripeAccount(string Id, string? Email, IReadOnlyDictionary<string, string> Metadata)
{
    public bool PayoutsEnabled { get; set; }
}

/// <summary>A transfer the fake made: each is made once, however often its idempotency key is sent.</summary>
public sealed record FakeStripeTransfer(string Id, long Amount, string Currency, string Destination, string? IdempotencyKey, IReadOnlyDictionary<string, string> Metadata, DateTimeOffset Created);

/// <summary>
/// Stripe Connect (Express accounts, account links, transfers) and Stripe's idempotency: a POST with an
/// <c>Idempotency-Key</c> seen before is answered with the first answer (and <c>Idempotent-Replayed: true</c>)
/// without running again; the same key with different parameters is refused, and a key whose first request is
/// still running answers 409, as Stripe does.
/// </summary>
public sealed partial class FakeStripe
{
    private readonly ConcurrentDictionary<string, FakeStripeAccount> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FakeStripeTransfer> _transfers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IdempotentAnswer> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _refusedDestinations = new(StringComparer.Ordinal);
    private int _unavailableTransfers;

    public IReadOnlyCollection<FakeStripeAccount> Accounts => [.. _accounts.Values];

    /// <summary>Every transfer made, in no particular order.</summary>
    public IReadOnlyCollection<FakeStripeTransfer> Transfers => [.. _transfers.Values];

    /// <summary>Transfers to <paramref name="accountId"/> are refused with <paramref name="message"/> (as Stripe refuses an account that cannot receive them).</summary>
    public void RefuseTransfersTo(string accountId, string message = "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments") =>
        _refusedDestinations[accountId] = message;

    public void LiftRefusal(string accountId) => _refusedDestinations.TryRemove(accountId, out _);

    /// <summary>The next <paramref name="count"/> transfer requests answer 500 without making a transfer.</summary>
    public void MakeTransfersUnavailable(int count) => Interlocked.Exchange(ref _unavailableTransfers, count);

    /// <summary>An account created as if the app had created it, already onboarded or not.</summary>
    public FakeStripeAccount AddAccount(bool payoutsEnabled)
    {
        var account = new FakeStripeAccount($"acct_fake{Interlocked.Increment(ref _sequence):D6}{RandomSuffix(6)}", null, new Dictionary<string, string>()) { PayoutsEnabled = payoutsEnabled };
        _accounts[account.Id] = account;
        return account;
    }

    /// <summary>An <c>account.updated</c> payload object for <paramref name="account"/>.</summary>
    public static JsonObject AccountObject(FakeStripeAccount account, bool payoutsEnabled)
    {
        ArgumentNullException.ThrowIfNull(account);
        account.PayoutsEnabled = payoutsEnabled;
        return AccountJson(account);
    }

    private void MapConnect(WebApplication app)
    {
        app.MapPost("/v1/accounts", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            if (form["type"] != "express")
                return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "Sustain's fake makes Express accounts only.", "type");
            var account = new FakeStripeAccount($"acct_fake{Interlocked.Increment(ref _sequence):D6}{RandomSuffix(6)}", form["email"].ToString(), Metadata(form));
            _accounts[account.Id] = account;
            return Results.Json(AccountJson(account));
        });
        app.MapGet("/v1/accounts/{id}", (string id) => _accounts.TryGetValue(id, out var account) ? Results.Json(AccountJson(account)) : NoSuchResource("account", id));
        app.MapPost("/v1/account_links", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var id = form["account"].ToString();
            if (!_accounts.ContainsKey(id))
                return NoSuchResource("account", id);
            if (!Uri.TryCreate(form["return_url"], UriKind.Absolute, out var returned) || !Uri.TryCreate(form["refresh_url"], UriKind.Absolute, out _))
                return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "Not a valid URL: return_url", "return_url");
            return Results.Json(new JsonObject
            {
                ["object"] = "account_link",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["expires_at"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(),
                ["url"] = new Uri(Address, $"connect/onboarding/{id}?return_url={Uri.EscapeDataString(returned.ToString())}").ToString(),
            });
        });
        app.MapPost("/v1/transfers", (Func<HttpContext, Task<IResult>>)CreateTransferAsync);
        app.MapGet("/v1/transfers", (HttpContext http) =>
        {
            var since = long.TryParse(http.Request.Query["created[gte]"], NumberStyles.None, CultureInfo.InvariantCulture, out var gte) ? gte : 0;
            var limit = int.TryParse(http.Request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 100) : 10;
            var after = http.Request.Query["starting_after"].ToString();
            var all = _transfers.Values.Where(t => t.Created.ToUnixTimeSeconds() >= since).OrderByDescending(t => t.Created).ThenByDescending(t => t.Id, StringComparer.Ordinal).ToList();
            var start = after.Length > 0 ? all.FindIndex(t => t.Id == after) + 1 : 0;
            var page = all.Skip(start).Take(limit).ToList();
            return Results.Json(new JsonObject
            {
                ["object"] = "list",
                ["url"] = "/v1/transfers",
                ["has_more"] = start + page.Count < all.Count,
                ["data"] = new JsonArray([.. page.Select(t => (JsonNode)TransferJson(t))]),
            });
        });
    }

    private async Task<IResult> CreateTransferAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (Interlocked.Decrement(ref _unavailableTransfers) >= 0)
            return Error(StatusCodes.Status500InternalServerError, "api_error", "The fake is unavailable for this transfer.");
        if (!long.TryParse(form["amount"], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "Missing required param: amount.", "amount");
        var destination = form["destination"].ToString();
        if (!_accounts.ContainsKey(destination))
            return NoSuchResource("destination account", destination);
        if (_refusedDestinations.TryGetValue(destination, out var refusal))
            return Error(StatusCodes.Status400BadRequest, "invalid_request_error", refusal, "destination");
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var transfer = new FakeStripeTransfer($"tr_fake{Interlocked.Increment(ref _sequence):D8}{RandomSuffix(8)}", amount, form["currency"].ToString(), destination,
            key.Length > 0 ? key : null, Metadata(form), DateTimeOffset.UtcNow);
        _transfers[transfer.Id] = transfer;
        return Results.Json(TransferJson(transfer));
    }

    /// <summary>Stripe's idempotency for every POST: one answer per key, replayed byte for byte.</summary>
    private async Task ReplayIdempotentAsync(HttpContext http, RequestDelegate next)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (!HttpMethods.IsPost(http.Request.Method) || key.Length == 0)
        {
            await next(http);
            return;
        }

        http.Request.EnableBuffering();
        using (var reader = new StreamReader(http.Request.Body, leaveOpen: true))
        {
            var body = await reader.ReadToEndAsync(http.RequestAborted);
            http.Request.Body.Position = 0;
            var fingerprint = $"{http.Request.Path}\n{body}";
            var fresh = new IdempotentAnswer(fingerprint);
            var answer = _answers.GetOrAdd(key, fresh);
            if (!ReferenceEquals(answer, fresh))
            {
                if (answer.Fingerprint != fingerprint)
                {
                    await Error(StatusCodes.Status400BadRequest, "idempotency_error",
                        $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request.").ExecuteAsync(http);
                    return;
                }

                if (!answer.Done.Task.IsCompleted)
                {
                    await Error(StatusCodes.Status409Conflict, "idempotency_error", "There is currently another in-progress request using this Idempotent Key.").ExecuteAsync(http);
                    return;
                }

                var (status, json) = await answer.Done.Task;
                http.Response.StatusCode = status;
                http.Response.ContentType = "application/json";
                http.Response.Headers["Idempotent-Replayed"] = "true";
                await http.Response.WriteAsync(json, http.RequestAborted);
                return;
            }
        }

        var original = http.Response.Body;
        using var captured = new MemoryStream();
        http.Response.Body = captured;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        var text = Encoding.UTF8.GetString(captured.ToArray());
        // Stripe does not keep an answer to a request that failed on its side (a 500): the same key may try again.
        if (http.Response.StatusCode >= 500)
            _answers.TryRemove(key, out _);
        else
            _answers[key].Done.TrySetResult((http.Response.StatusCode, text));
        captured.Position = 0;
        await captured.CopyToAsync(original, http.RequestAborted);
    }

    private static Dictionary<string, string> Metadata(IFormCollection form) =>
        form.Keys.Where(k => k.StartsWith("metadata[", StringComparison.Ordinal)).ToDictionary(k => k["metadata[".Length..^1], k => form[k].ToString(), StringComparer.Ordinal);

    private static JsonObject AccountJson(FakeStripeAccount account) => new()
    {
        ["id"] = account.Id,
        ["object"] = "account",
        ["type"] = "express",
        ["email"] = account.Email,
        ["details_submitted"] = account.PayoutsEnabled,
        ["charges_enabled"] = account.PayoutsEnabled,
        ["payouts_enabled"] = account.PayoutsEnabled,
        ["requirements"] = new JsonObject
        {
            ["currently_due"] = account.PayoutsEnabled ? new JsonArray() : new JsonArray("external_account", "individual.verification"),
            ["disabled_reason"] = account.PayoutsEnabled ? null : "requirements.past_due",
        },
        ["metadata"] = new JsonObject([.. account.Metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))]),
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["livemode"] = false,
    };

    private static JsonObject TransferJson(FakeStripeTransfer transfer) => new()
    {
        ["id"] = transfer.Id,
        ["object"] = "transfer",
        ["amount"] = transfer.Amount,
        ["amount_reversed"] = 0,
        ["currency"] = transfer.Currency,
        ["destination"] = transfer.Destination,
        ["reversed"] = false,
        ["created"] = transfer.Created.ToUnixTimeSeconds(),
        ["metadata"] = new JsonObject([.. transfer.Metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))]),
        ["livemode"] = false,
    };

    private sealed class IdempotentAnswer(string fingerprint)
    {
        public string Fingerprint { get; } = fingerprint;

        public TaskCompletionSource<(int Status, string Json)> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
