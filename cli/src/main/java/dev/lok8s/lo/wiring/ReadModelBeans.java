package dev.lok8s.lo.wiring;

import dev.lok8s.lo.projection.Machines;
import dev.lok8s.lo.projection.Projector;
import dev.lok8s.lo.projection.ReadModels;
import dev.lok8s.lo.projection.RunHistory;
import dev.lok8s.lo.store.AppendHook;
import dev.lok8s.lo.store.EventStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * CDI wiring of the read models: the store runs {@link Projector} in every append (it knows it only as
 * its {@link AppendHook}), and the queries read what it keeps.
 */
@ApplicationScoped
public class ReadModelBeans {

    @Produces
    @Singleton
    AppendHook projector() {
        return new Projector();
    }

    @Produces
    @Singleton
    ReadModels readModels(EventStore store) {
        return ReadModels.of(store);
    }

    @Produces
    @ApplicationScoped
    RunHistory runHistory(ReadModels readModels) {
        return readModels.runs();
    }

    @Produces
    @ApplicationScoped
    Machines machines(ReadModels readModels) {
        return readModels.machines();
    }
}
