import { Testing } from 'cdktf';

// Adds toHaveResource / toHaveResourceWithProperties matchers to jest.
Testing.setupJest();
