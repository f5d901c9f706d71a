using Microsoft.Extensions.Options;
using Stripe;

namespace Sustain.Web.Payments;

public static class PaymentsSetup
{
    public const string WebhookPath = "/api/webhooks/stripe";

    /// <summary>Stripe events are small; anything larger is not one.</summary>
    private const int MaxWebhookBytes = 512 * 1024;

    public static IHostApplicationBuilder AddPayments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<StripeWebhookVerifier>();
        builder.Services.AddSingleton<LedgerWriteGate>();
        builder.Services.AddHttpClient(StripeGateway.GatewayName);
        builder.Services.AddSingleton<IStripeClient>(services => StripeGateway.CreateClient(
            services.GetRequiredService<IOptions<StripeOptions>>().Value,
            services.GetRequiredService<IHttpClientFactory>().CreateClient(StripeGateway.GatewayName)));
        builder.Services.AddSingleton<IPaymentGateway>(services => services.GetRequiredService<IOptions<StripeOptions>>().Value.UsesStripe
            ? new StripeGateway(services.GetRequiredService<IStripeClient>(), services.GetRequiredService<StripeWebhookVerifier>())
            : new SimulatedGateway(services.GetRequiredService<StripeWebhookVerifier>()));
        builder.Services.AddScoped<StripeEventProcessor>();
        return builder;
    }

    public static WebApplication MapPayments(this WebApplication app)
    {
        app.MapPost(WebhookPath, ReceiveAsync)
            .WithName("StripeWebhook")
            .WithSummary("Stripe webhook: verifies the signature, then applies the event exactly once.")
            .AllowAnonymous();
        return app;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http, IPaymentGateway gateway, StripeEventProcessor processor)
    {
        if (http.Request.ContentLength > MaxWebhookBytes)
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Webhook too large", detail: $"A Stripe event is at most {MaxWebhookBytes / 1024} KiB.");
        using var reader = new StreamReader(http.Request.Body);
        var json = await reader.ReadToEndAsync(http.RequestAborted);
        Event stripeEvent;
        try
        {
            stripeEvent = gateway.ParseWebhook(json, http.Request.Headers["Stripe-Signature"].ToString());
        }
        catch (WebhookRejectedException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Webhook signature not accepted", detail: e.Message);
        }

        try
        {
            var outcome = await processor.ProcessAsync(stripeEvent, http.RequestAborted);
            return Results.Ok(new { received = true, outcome = outcome.Kind.ToString().ToLowerInvariant(), detail = outcome.Detail });
        }
        catch (GatewayUnavailableException e)
        {
            // Stripe delivers again later; by then the charge's balance transaction is there.
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Payment details not available yet", detail: e.Message);
        }
        catch (Exception e) when (StripeEventProcessor.IsConflict(e))
        {
            // Nothing was stored (the transaction rolled back); Stripe delivers again later.
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Ledger busy", detail: "Other events were being recorded; deliver this one again.");
        }
    }
}
