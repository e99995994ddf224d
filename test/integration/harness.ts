export * from '../../dev/world';
