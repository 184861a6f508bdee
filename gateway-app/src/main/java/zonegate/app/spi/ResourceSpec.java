package zonegate.app.spi;

import java.util.List;
import java.util.Objects;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;

/**
 * A resource clients may be authorised for, with its display name and traffic filters.
 *
 * @param resource the resource (id, and range, pattern or the Internet)
 * @param name a human-readable name (the id when the file gives none)
 * @param filters what may be sent to it; empty permits everything (copied, unmodifiable)
 */
public record ResourceSpec(Resource resource, String name, List<Filter> filters) {
    public ResourceSpec {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(name, "name");
        filters = List.copyOf(filters);
    }

    /** The resource's id (logged as {@code rid}). */
    public ResourceId id() {
        return resource.id();
    }
}
