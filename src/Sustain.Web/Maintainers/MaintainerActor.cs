using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Sustain.Data;
using Sustain.Web.Jobs;

namespace Sustain.Web.Maintainers;

/// <summary>Who is acting on claims: a signed-in user, their GitHub login if they linked one, and whether they are an operator.</summary>
public sealed record MaintainerActor(string UserId, string? GitHubLogin, string? Email, bool IsOperator)
{
    /// <summary>How the audit log names them.</summary>
    public string Name => GitHubLogin ?? Email ?? UserId;

    public string OperatorName => "operator " + (Email ?? GitHubLogin ?? UserId);

    /// <summary>The actor for a request's user; null when nobody (or a user since deleted) is signed in.</summary>
    public static async Task<MaintainerActor?> ForAsync(ClaimsPrincipal principal, IDbContextFactory<SustainDbContext> databases, CancellationToken cancellation = default)
    {
        if (principal.Identity?.IsAuthenticated != true || principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
            return null;
        await using var db = await databases.CreateDbContextAsync(cancellation);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.GitHubLogin, u.Email }).SingleOrDefaultAsync(cancellation);
        return user is null ? null : new MaintainerActor(userId, user.GitHubLogin, user.Email, principal.IsInRole(Operators.Role));
    }
}

/// <summary>What an action on claims came to: done (with a message for the page) or refused (with the reason).</summary>
public sealed record ClaimOutcome(bool Succeeded, string Message, Guid? ClaimId = null, string? ProjectKey = null)
{
    public static ClaimOutcome Refused(string reason) => new(false, reason);
}
