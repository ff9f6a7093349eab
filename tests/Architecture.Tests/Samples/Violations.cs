// Deliberate rule breakers: the checker must find these (see The_checker_fails_on_a_sample_that_breaks_the_rules).
namespace RenderOwl.Architecture.Tests.Samples.Domain.Identity
{
    public sealed class SampleUser
    {
        public string Email { get; set; } = "";
    }
}

namespace RenderOwl.Architecture.Tests.Samples.Domain.Projects
{
    public sealed class ProjectThatReadsUsers
    {
        public Identity.SampleUser? Owner { get; set; }
    }

    public sealed class ProjectThatTouchesTheDatabase
    {
        public RenderOwl.Infrastructure.Persistence.AppDbContext? Db { get; set; }
    }
}

namespace RenderOwl.Architecture.Tests.Samples.Infrastructure.Security
{
    /// <summary>An Identity folder of Infrastructure reading the Rendering module's entity.</summary>
    public sealed class KeyStoreThatReadsRenders
    {
        public RenderOwl.Domain.Rendering.Render? Last { get; set; }
    }
}

namespace RenderOwl.Architecture.Tests.Samples.Api.Http
{
    /// <summary>Middleware taking an Infrastructure class instead of the Application's interface.</summary>
    public sealed class MiddlewareThatTakesTheStore(RenderOwl.Infrastructure.Idempotency.IdempotencyStore store)
    {
        public object Store => store;
    }
}

namespace RenderOwl.Architecture.Tests.Samples.Api.Composition
{
    /// <summary>The composition root may name Infrastructure classes: it is where they are wired.</summary>
    public sealed class RootThatWiresTheStore(RenderOwl.Infrastructure.Idempotency.IdempotencyStore store)
    {
        public object Store => store;
    }
}
