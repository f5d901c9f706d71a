using System.Globalization;
using System.Text.Json.Nodes;

namespace Sustain.Testing.Fakes.Stripe;

/// <summary>The objects and events Stripe sends to a webhook endpoint, built on the fake's shapes.</summary>
public sealed partial class FakeStripe
{
    /// <summary>A whole event as Stripe posts it, as JSON text ready to sign.</summary>
    public string Event(string type, JsonObject dataObject, bool liveMode = false, string? id = null, DateTimeOffset? created = null)
    {
        var stripeEvent = Shapes.New("event");
        stripeEvent["id"] = id ?? $"evt_fake{Interlocked.Increment(ref _sequence):D8}{RandomSuffix(12)}";
        stripeEvent["type"] = type;
        stripeEvent["livemode"] = liveMode;
        stripeEvent["created"] = (created ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        stripeEvent["api_version"] = "2025-10-29.clover";
        stripeEvent["pending_webhooks"] = 1;
        stripeEvent["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null };
        dataObject["livemode"] = liveMode;
        stripeEvent["data"] = new JsonObject { ["object"] = dataObject };
        return stripeEvent.ToJsonString();
    }

    /// <summary>A completed checkout: paid, with its payment intent for payment mode, its subscription for subscription mode.</summary>
    public JsonObject CheckoutSessionObject(FakeStripeSession session, FakeStripePayment? payment = null, string? subscriptionId = null) =>
        SessionJson(session, payment, subscriptionId, completed: true);

    /// <summary>A checkout completed for a pledge the fake never saw created (as in a test that builds the pledge itself).</summary>
    public JsonObject CheckoutSessionObject(string pledgeId, string mode, long amount, string currency, FakeStripePayment? payment = null, string? subscriptionId = null) =>
        SessionJson(new FakeStripeSession($"cs_test_fake{Interlocked.Increment(ref _sequence):D8}{RandomSuffix(16)}", mode, amount, currency, null,
            new Dictionary<string, string> { ["pledge_id"] = pledgeId }, "https://example.test/success", "https://example.test/cancel"), payment, subscriptionId, completed: true);

    /// <summary>An invoice of a pledge's subscription, paid through <paramref name="payment"/> (or failed, with <paramref name="paid"/> false).</summary>
    public JsonObject InvoiceObject(string pledgeId, string subscriptionId, FakeStripePayment payment, bool paid = true)
    {
        var invoice = Shapes.New("invoice");
        invoice["id"] = $"in_fake{Interlocked.Increment(ref _sequence):D8}{RandomSuffix(12)}";
        invoice["status"] = paid ? "paid" : "open";
        invoice["currency"] = payment.Currency;
        invoice["amount_due"] = payment.Amount;
        invoice["amount_paid"] = paid ? payment.Amount : 0;
        invoice["amount_remaining"] = paid ? 0 : payment.Amount;
        invoice["total"] = payment.Amount;
        invoice["subtotal"] = payment.Amount;
        invoice["billing_reason"] = "subscription_cycle";
        invoice["last_finalization_error"] = null;
        invoice["from_invoice"] = null;
        invoice["parent"] = new JsonObject
        {
            ["type"] = "subscription_details",
            ["quote_details"] = null,
            ["subscription_details"] = new JsonObject { ["subscription"] = subscriptionId, ["metadata"] = new JsonObject { ["pledge_id"] = pledgeId } },
        };
        var invoicePayment = Shapes.New("invoice_payment");
        invoicePayment["id"] = $"inpay_fake{RandomSuffix(12)}";
        invoicePayment["invoice"] = invoice["id"]!.GetValue<string>();
        invoicePayment["currency"] = payment.Currency;
        invoicePayment["amount_requested"] = payment.Amount;
        invoicePayment["amount_paid"] = paid ? payment.Amount : null;
        invoicePayment["livemode"] = false;
        invoicePayment["status"] = paid ? "paid" : "open";
        invoicePayment["payment"] = new JsonObject { ["type"] = "payment_intent", ["payment_intent"] = payment.PaymentIntentId };
        invoice["payments"] = new JsonObject { ["object"] = "list", ["data"] = new JsonArray(invoicePayment), ["has_more"] = false, ["url"] = "/v1/invoice_payments" };
        return invoice;
    }

    public JsonObject SubscriptionObject(string pledgeId, string subscriptionId)
    {
        var subscription = Shapes.New("subscription");
        subscription["id"] = subscriptionId;
        subscription["status"] = "canceled";
        subscription["metadata"] = new JsonObject { ["pledge_id"] = pledgeId };
        return subscription;
    }

    /// <summary>The charge of a payment as <c>charge.refunded</c> carries it: <paramref name="amountRefunded"/> is the running total.</summary>
    public JsonObject ChargeObject(FakeStripePayment payment, long amountRefunded) => ChargeJson(payment, amountRefunded, expandBalanceTransaction: false);

    public JsonObject DisputeObject(FakeStripePayment payment, string disputeId, long amount, string status)
    {
        var dispute = Shapes.New("dispute");
        dispute["id"] = disputeId;
        dispute["amount"] = amount;
        dispute["currency"] = payment.Currency;
        dispute["charge"] = payment.ChargeId;
        dispute["payment_intent"] = payment.PaymentIntentId;
        dispute["status"] = status;
        dispute["balance_transactions"] = new JsonArray();
        return dispute;
    }

    private JsonObject ChargeJson(FakeStripePayment payment, long amountRefunded, bool expandBalanceTransaction)
    {
        var charge = Shapes.New("charge");
        charge["id"] = payment.ChargeId;
        charge["amount"] = payment.Amount;
        charge["amount_captured"] = payment.Amount;
        charge["amount_refunded"] = amountRefunded;
        charge["refunded"] = amountRefunded >= payment.Amount;
        charge["captured"] = true;
        charge["paid"] = true;
        charge["status"] = "succeeded";
        charge["currency"] = payment.Currency;
        charge["payment_intent"] = payment.PaymentIntentId;
        charge["balance_transaction"] = expandBalanceTransaction ? BalanceTransactionJson(payment) : payment.BalanceTransactionId;
        // stripe-mock's example charge has a legacy "source" object; charges from Checkout have none.
        charge.Remove("source");
        return charge;
    }

    private JsonObject SessionJson(FakeStripeSession session, FakeStripePayment? paymentIntent, string? subscriptionId = null, bool completed = false)
    {
        var json = Shapes.New("checkout.session");
        json["id"] = session.Id;
        json["mode"] = session.Mode;
        json["amount_total"] = session.Amount;
        json["amount_subtotal"] = session.Amount;
        json["currency"] = session.Currency;
        json["metadata"] = new JsonObject(session.Metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value)));
        json["client_reference_id"] = session.PledgeId;
        json["success_url"] = session.SuccessUrl;
        json["cancel_url"] = session.CancelUrl;
        json["url"] = completed ? null : new Uri(Address, $"c/pay/{session.Id}").ToString();
        json["status"] = completed ? "complete" : "open";
        json["payment_status"] = completed ? "paid" : "unpaid";
        json["payment_intent"] = paymentIntent?.PaymentIntentId;
        json["subscription"] = subscriptionId;
        json["invoice"] = null;
        json["expires_at"] = DateTimeOffset.UtcNow.AddHours(24).ToUnixTimeSeconds();
        return json;
    }
}
