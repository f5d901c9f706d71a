using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Sustain.Testing.Fakes.Stripe;

/// <summary>The API endpoints: form-encoded requests in, Stripe's JSON shapes out, Stripe's error shape for mistakes.</summary>
public sealed partial class FakeStripe
{
    private void MapApi(WebApplication app)
    {
        app.MapPost("/v1/checkout/sessions", (Func<HttpContext, Task<IResult>>)CreateSessionAsync);
        app.MapGet("/v1/checkout/sessions/{id}", (string id) =>
            _sessions.TryGetValue(id, out var session) ? Results.Json(SessionJson(session, paymentIntent: null)) : NoSuchResource("checkout.session", id));
        app.MapGet("/v1/payment_intents/{id}", (string id, HttpContext http) =>
            _payments.TryGetValue(id, out var payment) ? Results.Json(PaymentIntentJson(payment, string.Join(" ", http.Request.Query.Where(q => q.Key.StartsWith("expand", StringComparison.Ordinal)).SelectMany(q => q.Value)))) : NoSuchResource("payment_intent", id));
        app.MapGet("/v1/balance_transactions/{id}", (string id) =>
            _payments.Values.FirstOrDefault(p => p.BalanceTransactionId == id) is { } payment ? Results.Json(BalanceTransactionJson(payment)) : NoSuchResource("balance_transaction", id));
        app.MapFallback((HttpContext http) => Error(StatusCodes.Status404NotFound, "invalid_request_error", $"Unrecognized request URL ({http.Request.Method}: {http.Request.Path})."));
    }

    private async Task<IResult> CreateSessionAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 0 && _idempotency.TryGetValue(key, out var earlier) && _sessions.TryGetValue(earlier, out var replay))
            return Results.Json(SessionJson(replay, paymentIntent: null));

        var mode = form["mode"].ToString();
        if (mode is not ("payment" or "subscription"))
            return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "Invalid mode: must be one of payment, setup, or subscription", "mode");
        if (!long.TryParse(form["line_items[0][price_data][unit_amount]"], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "Missing required param: line_items[0][price_data][unit_amount].", "line_items[0][price_data][unit_amount]");
        var interval = form["line_items[0][price_data][recurring][interval]"].ToString();
        if (mode == "subscription" && interval is not ("month" or "year"))
            return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "A subscription's price needs recurring[interval].", "line_items[0][price_data][recurring][interval]");
        foreach (var url in new[] { "success_url", "cancel_url" })
        {
            if (!Uri.TryCreate(form[url], UriKind.Absolute, out _))
                return Error(StatusCodes.Status400BadRequest, "invalid_request_error", $"Not a valid URL: {url}", url);
        }

        var metadata = form.Keys.Where(k => k.StartsWith("metadata[", StringComparison.Ordinal))
            .ToDictionary(k => k["metadata[".Length..^1], k => form[k].ToString(), StringComparer.Ordinal);
        var session = new FakeStripeSession(
            $"cs_test_fake{Interlocked.Increment(ref _sequence):D8}{RandomSuffix(16)}",
            mode,
            amount,
            form["line_items[0][price_data][currency]"].ToString(),
            mode == "subscription" ? interval : null,
            metadata,
            form["success_url"].ToString(),
            form["cancel_url"].ToString());
        _sessions[session.Id] = session;
        if (key.Length > 0)
            _idempotency[key] = session.Id;
        return Results.Json(SessionJson(session, paymentIntent: null));
    }

    private static IResult NoSuchResource(string kind, string id) =>
        Error(StatusCodes.Status404NotFound, "invalid_request_error", $"No such {kind}: '{id}'", "id");

    private JsonObject PaymentIntentJson(FakeStripePayment payment, string expand)
    {
        var intent = Shapes.New("payment_intent");
        intent["id"] = payment.PaymentIntentId;
        intent["amount"] = payment.Amount;
        intent["amount_received"] = payment.Amount;
        intent["currency"] = payment.Currency;
        intent["status"] = "succeeded";
        intent["last_payment_error"] = null;
        intent["next_action"] = null;
        intent["latest_charge"] = expand.Contains("latest_charge", StringComparison.Ordinal)
            ? ChargeJson(payment, amountRefunded: 0, expandBalanceTransaction: expand.Contains("latest_charge.balance_transaction", StringComparison.Ordinal))
            : payment.ChargeId;
        return intent;
    }

    private JsonObject BalanceTransactionJson(FakeStripePayment payment)
    {
        var balance = Shapes.New("balance_transaction");
        balance["id"] = payment.BalanceTransactionId;
        balance["amount"] = payment.Amount;
        balance["fee"] = payment.Fee;
        balance["net"] = payment.Amount - payment.Fee;
        balance["currency"] = payment.Currency;
        balance["source"] = payment.ChargeId;
        balance["type"] = "charge";
        balance["reporting_category"] = "charge";
        balance["fee_details"] = new JsonArray(new JsonObject { ["amount"] = payment.Fee, ["currency"] = payment.Currency, ["type"] = "stripe_fee", ["description"] = "Stripe processing fees" });
        return balance;
    }
}
