using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Sustain.Web.Organisations;

public static class OrganisationsSetup
{
    public static IHostApplicationBuilder AddOrganisations(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<OrganisationAccess>();
        builder.Services.AddScoped<OrganisationService>();
        builder.Services.AddScoped<MembershipService>();
        builder.Services.AddScoped<InvitationService>();
        builder.Services.AddScoped<ApiTokenService>();
        return builder;
    }

    public static WebApplication MapOrganisations(this WebApplication app) => app;
}
