using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sustain.Testing.Fakes.Stripe;

/// <summary>A payment as the fake settled it: the ids Stripe would give, the amount and the fee on its balance transaction.</summary>
public sealed record FakeStripePayment(string PaymentIntentId, string ChargeId, string BalanceTransactionId, long Amount, long Fee, string Currency);

/// <summary>A checkout session the app created.</summary>
public sealed record FakeStripeSession(string Id, string Mode, long Amount, string Currency, string? Interval, IReadOnlyDictionary<string, string> Metadata, string SuccessUrl, string CancelUrl)
{
    public string? PledgeId => Metadata.GetValueOrDefault("pledge_id");
}

public sealed record StripeRequest(string Method, string Path, string Query, string Body, int Status);

/// <summary>
/// Stripe's API on a loopback port, for the real gateway to talk to through Stripe.net: creating
/// checkout sessions, and reading payment intents with their charge and balance transaction
/// expanded. It also writes the events Stripe would send, signed the way Stripe signs them.
/// <code>
/// await using var stripe = await FakeStripe.StartAsync(CorpusFiles.PathOf("stripe/stripe-mock-fixtures3.json"));
/// // point the app at it: stripe.SustainSettings
/// var payment = stripe.AddPayment(10_000, "usd");           // a settled charge, fee 2.9% + 30
/// var json = stripe.Event("checkout.session.completed", stripe.CheckoutSessionObject(...));
/// request.Headers.Add("Stripe-Signature", stripe.Sign(json));
/// </code>
/// </summary>
public sealed partial class FakeStripe : IAsyncDisposable
{
    public const string SecretKey = "sk_test_fake0000000000000000000000";
    public const string DefaultWebhookSecret = "whsec_fake00000000000000000000000000000";

    private readonly ConcurrentDictionary<string, FakeStripePayment> _payments = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FakeStripeSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _idempotency = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<StripeRequest> _requests = new();
    private WebApplication? _app;
    private long _sequence;

    private FakeStripe(StripeShapes shapes) => Shapes = shapes;

    public StripeShapes Shapes { get; }

    /// <summary>Where the server listens, with a trailing slash: <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address { get; private set; } = default!;

    public string WebhookSecret { get; init; } = DefaultWebhookSecret;

    /// <summary>Sustain's settings that point its Stripe gateway and webhook check at this fake.</summary>
    public IReadOnlyDictionary<string, string> SustainSettings => new Dictionary<string, string>
    {
        ["Stripe:SecretKey"] = SecretKey,
        ["Stripe:WebhookSecret"] = WebhookSecret,
        ["Stripe:ApiBaseAddress"] = Address.ToString(),
    };

    public IReadOnlyList<StripeRequest> Requests => [.. _requests];

    public IReadOnlyCollection<FakeStripeSession> Sessions => [.. _sessions.Values];

    /// <summary>Starts the fake on a free loopback port, with stripe-mock's fixtures as its shapes when the path exists.</summary>
    public static async Task<FakeStripe> StartAsync(string? fixturesPath = null)
    {
        var fake = new FakeStripe(StripeShapes.Load(fixturesPath));
        (fake._app, fake.Address) = await LoopbackServer.StartAsync(app =>
        {
            app.Use(fake.RecordAsync);
            app.Use(fake.AuthenticateAsync);
            app.Use(fake.ReplayIdempotentAsync);
            app.UseRouting();
            fake.MapApi(app);
            fake.MapConnect(app);
        });
        return fake;
    }

    /// <summary>A settled card payment: a payment intent, its charge and balance transaction. The fee is Stripe's card price, 2.9% + 30 minor units, unless given.</summary>
    public FakeStripePayment AddPayment(long amount, string currency, long? fee = null)
    {
        var n = Interlocked.Increment(ref _sequence);
        var suffix = n.ToString("D8", CultureInfo.InvariantCulture) + RandomSuffix(8);
        var payment = new FakeStripePayment($"pi_fake{suffix}", $"ch_fake{suffix}", $"txn_fake{suffix}", amount, fee ?? Math.Min(amount, (amount * 29 + 500) / 1000 + 30), currency.ToLowerInvariant());
        _payments[payment.PaymentIntentId] = payment;
        return payment;
    }

    /// <summary>
    /// The value of a <c>Stripe-Signature</c> header for <paramref name="payload"/>: <c>t=TIMESTAMP,v1=HMAC</c>,
    /// the HMAC-SHA256 of <c>"TIMESTAMP.PAYLOAD"</c> keyed with the endpoint's secret, in lower-case hex.
    /// </summary>
    public string Sign(string payload, DateTimeOffset? at = null, string? secret = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret ?? WebhookSecret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null)
            return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    private static string RandomSuffix(int length) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(length / 2));

    private async Task RecordAsync(HttpContext http, RequestDelegate next)
    {
        http.Request.EnableBuffering();
        using var reader = new StreamReader(http.Request.Body, leaveOpen: true);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        http.Request.Body.Position = 0;
        await next(http);
        _requests.Enqueue(new StripeRequest(http.Request.Method, http.Request.Path.Value ?? "/", http.Request.QueryString.Value ?? "", body, http.Response.StatusCode));
    }

    private async Task AuthenticateAsync(HttpContext http, RequestDelegate next)
    {
        if (http.Request.Headers.Authorization.ToString() != $"Bearer {SecretKey}")
        {
            await Error(StatusCodes.Status401Unauthorized, "invalid_request_error", "Invalid API Key provided.").ExecuteAsync(http);
            return;
        }

        await next(http);
    }

    private static IResult Error(int status, string type, string message, string? param = null) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["message"] = message, ["param"] = param } }, statusCode: status);
}
