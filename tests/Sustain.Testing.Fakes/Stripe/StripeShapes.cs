using System.Text.Json.Nodes;

namespace Sustain.Testing.Fakes.Stripe;

/// <summary>
/// The JSON objects the fake answers with. Given stripe-mock's fixture file (the shared corpus's
/// <c>stripe/stripe-mock-fixtures3.json</c>), each object starts as Stripe's own example of that
/// resource, every field present; without it, as a minimal object of the fields Stripe.net reads.
/// The fake then sets the fields that matter (ids, amounts, metadata) on a copy.
/// </summary>
public sealed class StripeShapes
{
    private readonly Dictionary<string, JsonObject> _resources = new(StringComparer.Ordinal);

    private StripeShapes(bool fromFixtures) => FromFixtures = fromFixtures;

    /// <summary>True when the shapes are stripe-mock's fixtures rather than the built-in minimal ones.</summary>
    public bool FromFixtures { get; }

    public static StripeShapes Load(string? fixturesPath)
    {
        if (fixturesPath is null || !File.Exists(fixturesPath))
            return Minimal();
        var shapes = new StripeShapes(fromFixtures: true);
        var resources = JsonNode.Parse(File.ReadAllText(fixturesPath))!["resources"]!.AsObject();
        foreach (var (name, value) in resources)
        {
            if (value is JsonObject resource)
                shapes._resources[name] = resource;
        }

        return shapes;
    }

    /// <summary>A fresh copy of the resource's shape, such as <c>checkout.session</c> or <c>balance_transaction</c>.</summary>
    public JsonObject New(string resource) =>
        _resources.TryGetValue(resource, out var shape)
            ? shape.DeepClone().AsObject()
            : throw new ArgumentException($"The fake has no shape for '{resource}'.", nameof(resource));

    private static StripeShapes Minimal()
    {
        var shapes = new StripeShapes(fromFixtures: false);
        foreach (var name in new[] { "checkout.session", "payment_intent", "charge", "balance_transaction", "invoice", "invoice_payment", "subscription", "dispute", "refund", "event" })
            shapes._resources[name] = new JsonObject { ["object"] = name, ["livemode"] = false, ["created"] = 1_700_000_000, ["metadata"] = new JsonObject() };
        return shapes;
    }
}
