package dev.lok8s.lo.spec;

/** A Docker network by name and subnet. */
public record NetworkSpec(String name, Cidr cidr) {
}
