package io.github.grouptotp.keycloak.rollout;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.BiPredicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Consecutive elements of a stream in groups, read lazily and one group at a time, so that a report of any size
 * streams with a flat heap: the report's chunks of rows, and the adjacent rows of one user.
 */
final class Adjacent {

    private Adjacent() {
    }

    /**
     * @param belongs whether the next element joins the group so far (else it starts the next group)
     * @return the groups, in order; closing it closes {@code source}
     */
    static <T> Stream<List<T>> groups(Stream<T> source, BiPredicate<List<T>, T> belongs) {
        Iterator<T> elements = source.iterator();
        Iterator<List<T>> groups = new Iterator<>() {
            private List<T> group;

            @Override
            public boolean hasNext() {
                if (group == null && elements.hasNext()) {
                    group = new ArrayList<>(List.of(elements.next()));
                }
                return group != null;
            }

            @Override
            public List<T> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<T> done = group;
                group = null;
                while (elements.hasNext()) {
                    T element = elements.next();
                    if (!belongs.test(done, element)) {
                        group = new ArrayList<>(List.of(element));
                        break;
                    }
                    done.add(element);
                }
                return done;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(groups, Spliterator.ORDERED), false).onClose(source::close);
    }
}
