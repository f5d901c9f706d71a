using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Sustain.Data;
using Sustain.Data.Organisations;
using Sustain.Web.Identity;

namespace Sustain.Web.Organisations;

/// <summary>Who is acting on an organisation: a member (with a role) or one of its API tokens (with scopes).</summary>
public sealed record OrgAccess(Organisation Organisation, OrganisationRole? Role, string? UserId, Guid? TokenId, ApiTokenScopes Scopes)
{
    public bool IsAdmin => Role is OrganisationRole.Admin or OrganisationRole.Owner;

    public bool Can(ApiTokenScopes scope) => Role is not null || Scopes.HasFlag(scope);
}

/// <summary>
/// The one place that decides whether a caller may see an organisation's private data. Every page and
/// endpoint asks it; an outsider gets null, which callers turn into 404 so not even existence leaks.
/// </summary>
/// <remarks>Each call uses its own short-lived context, so interactive pages and the layout can ask at the same time.</remarks>
public sealed class OrganisationAccess(IDbContextFactory<SustainDbContext> contexts)
{
    public async Task<OrgAccess?> ForUserAsync(string slug, ClaimsPrincipal user, CancellationToken cancellation = default)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null || user.Identity?.AuthenticationType == OrgTokenAuthenticationHandler.SchemeName)
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var found = await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == userId && m.Organisation!.Slug == slug)
            .Select(m => new { m.Organisation, m.Role })
            .SingleOrDefaultAsync(cancellation);
        return found is null ? null : new OrgAccess(found.Organisation!, found.Role, userId, null, ApiTokenScopes.None);
    }

    /// <summary>For API calls: a bearer organisation token with the scope needed, or a signed-in member.</summary>
    public async Task<OrgAccess?> ForRequestAsync(HttpContext http, string slug, ApiTokenScopes needed)
    {
        var token = await http.AuthenticateAsync(OrgTokenAuthenticationHandler.SchemeName);
        if (token.Succeeded)
        {
            var principal = token.Principal!;
            var organisationId = Guid.Parse(principal.FindFirstValue(OrgTokenAuthenticationHandler.OrganisationClaim)!);
            var scopes = (ApiTokenScopes)int.Parse(principal.FindFirstValue(OrgTokenAuthenticationHandler.ScopesClaim)!, System.Globalization.CultureInfo.InvariantCulture);
            await using var db = await contexts.CreateDbContextAsync(http.RequestAborted);
            var organisation = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organisationId && o.Slug == slug, http.RequestAborted);
            if (organisation is null || !scopes.HasFlag(needed))
                return null;
            return new OrgAccess(organisation, null, null, Guid.Parse(principal.FindFirstValue(OrgTokenAuthenticationHandler.TokenIdClaim)!), scopes);
        }

        var cookie = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        return cookie.Succeeded ? await ForUserAsync(slug, cookie.Principal!, http.RequestAborted) : null;
    }

    public async Task<List<Organisation>> ListForUserAsync(string userId, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        return await db.Memberships.AsNoTracking().Where(m => m.UserId == userId).Select(m => m.Organisation!).OrderBy(o => o.Name).ToListAsync(cancellation);
    }
}
