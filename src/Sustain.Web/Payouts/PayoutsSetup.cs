using Microsoft.Extensions.Options;
using Stripe;
using Sustain.Web.Jobs;
using Sustain.Web.Payments;

namespace Sustain.Web.Payouts;

public static class PayoutsSetup
{
    /// <summary>Escrow to maintainers, Stripe Connect accounts, payout runs and their reconciliation, and the payout pages.</summary>
    public static IHostApplicationBuilder AddPayouts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PayoutOptions>().BindConfiguration(PayoutOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.DistributeEvery >= TimeSpan.FromSeconds(1) && o.ReconcileEvery >= TimeSpan.FromSeconds(1), "Payouts:DistributeEvery and Payouts:ReconcileEvery are at least a second.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IConnectGateway>(services => services.GetRequiredService<IOptions<StripeOptions>>().Value.UsesStripe
            ? new StripeConnect(services.GetRequiredService<IStripeClient>())
            : new SimulatedConnect());
        builder.Services.AddSingleton<PayoutLedger>();
        builder.Services.AddSingleton<EscrowDistributor>();
        builder.Services.AddSingleton<PayoutReconciler>();
        builder.Services.AddSingleton<PayoutRun>();
        builder.Services.AddSingleton<ConnectedAccounts>();
        builder.Services.AddSingleton<EscrowExpiry>();
        builder.Services.AddSingleton<PayoutQueries>();
        builder.Services.AddScoped<SimulatedOnboarding>();

        var options = builder.Configuration.GetSection(PayoutOptions.Section).Get<PayoutOptions>() ?? new PayoutOptions();
        builder.Services.AddRecurringJob<PayoutRunJob>(PayoutJobKinds.Run, RecurringSchedule.Monthly(options.RunDay, options.RunAtUtc), maxAttempts: 10);
        builder.Services.AddRecurringJob<EscrowDistributionJob>(PayoutJobKinds.Distribute, RecurringSchedule.Every(options.DistributeEvery));
        builder.Services.AddRecurringJob<PayoutReconcileJob>(PayoutJobKinds.Reconcile, RecurringSchedule.Every(options.ReconcileEvery));
        builder.Services.AddRecurringJob<EscrowExpiryJob>(PayoutJobKinds.EscrowExpiry, RecurringSchedule.Daily(new TimeOnly(3, 0)));
        return builder;
    }

    public static WebApplication MapPayouts(this WebApplication app)
    {
        PayoutEndpoints.Map(app);
        return app;
    }
}
