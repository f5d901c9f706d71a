using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Sustain.Web.Maintainers;

public static class MaintainersSetup
{
    /// <summary>Maintainer claims, contests and splits: the pages under <c>/maintainers</c> and the operator queue at <c>/ops/claims</c>.</summary>
    public static IHostApplicationBuilder AddMaintainers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MaintainerOptions>()
            .BindConfiguration(MaintainerOptions.Section)
            .Validate(o => o.CheckInterval >= TimeSpan.Zero, "Maintainers:CheckInterval is zero or more.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<GitHubProof>();
        builder.Services.AddScoped<MaintainerClaims>();
        builder.Services.AddSingleton<MaintainerSplits>();
        builder.Services.AddSingleton<MaintainerDirectory>();
        return builder;
    }
}
